package dev.drover.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drover.model.schema.Json;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cost", mixinStandardHelpOptions = true, description = "Show what the fleet costs per month, grouped by team, "
        + "environment, cluster, flavor or provider. The rows add up to the total; the shared platform cost is shown apart.",
        subcommands = {CostCommand.WhatIfCommand.class})
final class CostCommand implements Callable<Integer> {

    enum Output { table, csv, json }

    @Option(names = "--by", defaultValue = "team", description = "Grouping: team, environment, cluster, flavor or provider (default: team).")
    String by;

    @Option(names = "--team", description = "Only this team's clusters.")
    String team;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, csv or json (default: table).")
    Output output;

    @Mixin
    ApiConnection connection;

    @Override
    public Integer call() throws Exception {
        String path = "/reports/cost?by=" + URLEncoder.encode(by, StandardCharsets.UTF_8)
                + (team == null ? "" : "&team=" + URLEncoder.encode(team, StandardCharsets.UTF_8));
        var answer = connection.send("GET", path, null, 200);
        if (answer.isEmpty()) {
            return 1;
        }
        JsonNode report = answer.get();
        boolean teams = by.equals("team");
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : report.path("rows")) {
            List<String> cells = new ArrayList<>(List.of(row.path("key").asText(), row.path("clusters").asText(),
                    row.path("monthly").asText() + (row.path("unpricedClusters").asInt() > 0 ? "+" : "")));
            if (teams) {
                cells.add(row.path("platformShare").asText());
            }
            rows.add(cells);
        }
        String currency = report.path("currency").asText("");
        switch (output) {
            case json -> System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            case csv -> {
                List<String> header = new ArrayList<>(List.of(by, "clusters", "monthly_" + currency.toLowerCase(Locale.ROOT)));
                if (teams) {
                    header.add("platform_share_" + currency.toLowerCase(Locale.ROOT));
                }
                System.out.println(String.join(",", header));
                rows.forEach(cells -> System.out.println(String.join(",", cells.stream().map(CostCommand::csvCell).toList())));
            }
            case table -> {
                List<String> header = new ArrayList<>(List.of(by.toUpperCase(Locale.ROOT), "CLUSTERS", "MONTHLY " + currency));
                List<String> total = new ArrayList<>(List.of("TOTAL", report.path("clusters").asText(),
                        report.path("total").asText() + (report.path("unpricedClusters").asInt() > 0 ? "+" : "")));
                if (teams) {
                    header.add("PLATFORM SHARE " + currency);
                    total.add(report.path("platform").asText());
                }
                rows.add(total);
                TablePrinter.print(System.out, header, TablePrinter.Align.RIGHT, rows);
                if (!teams && new BigDecimal(report.path("platform").asText("0")).signum() > 0) {
                    System.out.println("Shared platform: " + report.path("platform").asText() + " " + currency + " per month, allocated "
                            + "to teams by " + report.path("platformAllocation").asText() + " (drover cost --by team), not in the rows.");
                }
                for (JsonNode cluster : report.path("hibernationNotReal")) {
                    System.out.println("Note: the estimate of " + cluster.path("cluster").asText() + " subtracts hibernated hours "
                            + "that are not happening: " + cluster.path("reason").asText() + ".");
                }
                if (report.path("unpricedClusters").asInt() > 0) {
                    System.out.println(report.path("unpricedClusters").asInt() + " cluster(s) have items without a price (+): the "
                            + "amounts are lower bounds; `kubectl get clusters -A -o yaml` lists them under status.cost.unpriced.");
                }
            }
        }
        return 0;
    }

    @Command(name = "whatif", mixinStandardHelpOptions = true, description = "Answer what a change would save per month and team, "
            + "for example all non-production pools at 70 %% spot, or hibernating development clusters nights and weekends.")
    static final class WhatIfCommand implements Callable<Integer> {

        @Option(names = "--spot", paramLabel = "PERCENT", description = "Every pool at least this share of spot capacity, 0 to 100.")
        BigDecimal spotPercent;

        @Option(names = "--hibernate", paramLabel = "SCHEDULE",
                description = "nights-and-weekends: pools sleep Monday to Friday 19:00-07:00 and all weekend.")
        String hibernate;

        @Option(names = "--environments", split = ",", description = "The clusters of these environments, for example development,staging.")
        List<String> environments = new ArrayList<>();

        @Option(names = "--non-production", description = "The clusters of every environment but production.")
        boolean nonProduction;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, csv or json (default: table).")
        Output output;

        @Mixin
        ApiConnection connection;

        @Override
        public Integer call() throws Exception {
            ObjectNode question = Json.MAPPER.createObjectNode();
            environments.forEach(question.putArray("environments")::add);
            question.put("nonProduction", nonProduction);
            if (spotPercent != null) {
                question.put("spotShare", spotPercent.movePointLeft(2));
            }
            if (hibernate != null) {
                if (!hibernate.equals("nights-and-weekends")) {
                    System.err.println("error: --hibernate " + hibernate + " is not a schedule (allowed: nights-and-weekends)");
                    return 2;
                }
                question.put("hibernate", "nightsAndWeekends");
            }
            var answer = connection.send("POST", "/reports/cost/whatif", Json.write(question), 200);
            if (answer.isEmpty()) {
                return 1;
            }
            JsonNode result = answer.get();
            String currency = result.path("currency").asText("");
            List<List<String>> rows = new ArrayList<>();
            for (JsonNode team : result.path("teams")) {
                rows.add(List.of(team.path("team").asText(), team.path("clusters").asText(), team.path("before").asText(),
                        team.path("after").asText(), team.path("saving").asText()));
            }
            switch (output) {
                case json -> System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                case csv -> {
                    System.out.println("team,clusters,before,after,saving");
                    rows.forEach(cells -> System.out.println(String.join(",", cells.stream().map(CostCommand::csvCell).toList())));
                }
                case table -> {
                    rows.add(List.of("TOTAL", result.path("clusters").asText(), result.path("before").asText(),
                            result.path("after").asText(), result.path("saving").asText()));
                    TablePrinter.print(System.out, List.of("TEAM", "CLUSTERS", "NOW " + currency, "THEN " + currency, "SAVING " + currency),
                            TablePrinter.Align.RIGHT, rows);
                }
            }
            return 0;
        }
    }

    static String csvCell(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
