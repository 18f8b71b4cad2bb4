package dev.drover.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.cost.CostReport;
import dev.drover.model.cost.Money;
import dev.drover.model.cost.WhatIf;
import dev.drover.model.error.ApiException;
import dev.drover.model.schema.Json;
import dev.drover.model.schema.Numbers;
import dev.drover.server.auth.Principal;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Cost reports and what-if questions over the fleet's latest cost. Platform admins see every team; a team token sees
 * its own team only. Amounts are decimal strings in the PriceBooks' currency.
 */
final class CostRoutes {

    static final String REPORT_PATH = "/reports/cost";
    static final String WHAT_IF_PATH = REPORT_PATH + "/whatif";

    private final CostLedger ledger;

    CostRoutes(CostLedger ledger) {
        this.ledger = ledger;
    }

    /** {@code GET /reports/cost?by=team|environment|cluster|flavor|provider&team=NAME}. */
    void report(Context context, Principal principal) {
        String byName = Optional.ofNullable(context.queryParam("by")).orElse("team");
        CostReport.GroupBy by = CostReport.GroupBy.of(byName).orElseThrow(() -> ApiException.badRequest("by \"" + byName
                + "\" is not a grouping (allowed: " + String.join(", ", Arrays.stream(CostReport.GroupBy.values())
                .map(CostReport.GroupBy::wireName).toList()) + ")"));
        Optional<String> team = visibleTeam(principal, Optional.ofNullable(context.queryParam("team")).filter(name -> !name.isEmpty()));
        CostLedger.Entry entry = ledger.latest();
        if (team.isPresent() && !entry.inputs().teams().containsKey(team.get())) {
            throw ApiException.notFound(dev.drover.model.api.Kinds.TEAM, team.get());
        }
        CostReport report = CostReport.of(entry.cost(), by, team);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("kind", "CostReport");
        body.put("by", by.wireName());
        team.ifPresent(name -> body.put("team", name));
        report.currency().ifPresent(currency -> body.put("currency", currency));
        ArrayNode rows = body.putArray("rows");
        for (CostReport.Row row : report.rows()) {
            ObjectNode item = rows.addObject();
            item.put("key", row.key());
            item.put("clusters", row.clusters());
            item.put("monthly", Money.format(row.monthly()));
            if (by == CostReport.GroupBy.TEAM) {
                item.put("platformShare", Money.format(row.platform()));
            }
            item.put("unpricedClusters", row.unpricedClusters());
        }
        body.put("total", Money.format(report.total()));
        body.put("platform", Money.format(report.platform()));
        body.put("clusters", report.clusters());
        body.put("unpricedClusters", report.unpricedClusters());
        // Sorted, and only the team's own for a team token.
        ArrayNode notReal = body.putArray("hibernationNotReal");
        new java.util.TreeMap<>(ledger.savingsNotReal()).forEach((id, why) -> {
            if (team.isEmpty() || team.get().equals(id.team())) {
                notReal.addObject().put("cluster", id.toString()).put("reason", why);
            }
        });
        entry.cost().platform().ifPresent(platform -> body.put("platformAllocation",
                platform.allocation() == dev.drover.model.api.PriceBookSpec.Allocation.EVEN ? "even" : "nodeHours"));
        ResourceRoutes.respondJson(context, 200, body);
    }

    /** {@code POST /reports/cost/whatif} with {@code {environments, nonProduction, spotShare, hibernate}}. */
    void whatIf(Context context, Principal principal) {
        RequestBodies.requireMediaType(context, List.of(RequestBodies.JSON));
        JsonNode request = RequestBodies.read(context);
        List<String> environments = new ArrayList<>();
        request.path("environments").forEach(environment -> environments.add(environment.asText()));
        boolean nonProduction = request.path("nonProduction").asBoolean(false);
        if (environments.isEmpty() && !nonProduction) {
            throw ApiException.badRequest("say which clusters the question is about: environments (for example [development]) "
                    + "or nonProduction: true");
        }
        Optional<BigDecimal> spotShare = Optional.empty();
        if (request.has("spotShare")) {
            JsonNode given = request.path("spotShare");
            Optional<BigDecimal> share = given.isNumber() ? Optional.of(given.decimalValue())
                    : given.isTextual() ? Numbers.parseDecimal(given.textValue()) : Optional.empty();
            if (share.isEmpty() || share.get().signum() < 0 || share.get().compareTo(BigDecimal.ONE) > 0) {
                throw ApiException.badRequest("spotShare " + Numbers.excerpt(given.toString()) + " is not a fraction between "
                        + "0 and 1 (0.7 means 70 % spot)");
            }
            spotShare = share;
        }
        String hibernate = request.path("hibernate").asText("");
        if (!hibernate.isEmpty() && !hibernate.equals("nightsAndWeekends")) {
            throw ApiException.badRequest("hibernate \"" + hibernate + "\" is not a schedule (allowed: nightsAndWeekends)");
        }
        if (spotShare.isEmpty() && hibernate.isEmpty()) {
            throw ApiException.badRequest("ask about spotShare, hibernate or both");
        }
        Optional<java.util.Set<String>> visible = principal instanceof Principal.TeamMember member
                ? Optional.of(member.teams()) : Optional.empty();
        WhatIf.Answer answer = new WhatIf(environments, nonProduction, spotShare, !hibernate.isEmpty())
                .answer(ledger.latest().inputs());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("kind", "CostWhatIf");
        answer.currency().ifPresent(currency -> body.put("currency", currency));
        ArrayNode teams = body.putArray("teams");
        BigDecimal before = Money.ZERO;
        BigDecimal after = Money.ZERO;
        int affected = 0;
        for (WhatIf.TeamSaving saving : answer.teams()) {
            if (visible.isPresent() && !visible.get().contains(saving.team())) {
                continue;
            }
            teams.addObject().put("team", saving.team()).put("clusters", saving.clustersAffected())
                    .put("before", Money.format(saving.before())).put("after", Money.format(saving.after()))
                    .put("saving", Money.format(saving.saving()));
            before = before.add(saving.before());
            after = after.add(saving.after());
            affected += saving.clustersAffected();
        }
        body.put("clusters", affected);
        body.put("before", Money.format(before));
        body.put("after", Money.format(after));
        body.put("saving", Money.format(before.subtract(after)));
        ResourceRoutes.respondJson(context, 200, body);
    }

    /** The team a principal's report is limited to: its own for a team token, else the one asked for. */
    private static Optional<String> visibleTeam(Principal principal, Optional<String> asked) {
        if (principal instanceof Principal.TeamMember member) {
            if (asked.isPresent() && !member.actsFor(asked.get())) {
                throw ApiException.forbidden("the cost of team \"" + asked.get() + "\" is forbidden: " + member.describe()
                        + " may only see the cost of its own team (" + member.teamNames() + ")");
            }
            if (asked.isEmpty() && member.teams().size() > 1) {
                throw ApiException.badRequest(member.describe() + " acts for several teams: ask for one (team=NAME; "
                        + "drover cost --team NAME)");
            }
            return asked.or(() -> Optional.of(member.teams().first()));
        }
        return asked;
    }
}
