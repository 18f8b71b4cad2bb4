package dev.drover.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.drover.model.schema.Doc;
import dev.drover.model.schema.ListMap;
import dev.drover.model.schema.ListSet;
import dev.drover.model.schema.Minimum;
import dev.drover.model.schema.Pattern;
import dev.drover.model.schema.Required;
import dev.drover.model.schema.Values;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

@Doc("A product team: who it is, what it may spend and request, and the cloud account of each of its environments. "
        + "A Team's name is the namespace that holds its Clusters.")
public record TeamSpec(
        @Doc("Human-readable name shown in tables and the console.") Optional<String> displayName,
        @ListSet @Doc("People accountable for the team, as e-mail addresses.") List<String> owners,
        @Doc("Identity-provider groups whose members act for the team; they are bound to RBAC roles in the team's clusters.")
        @ListSet List<String> groups,
        @Doc("Cost center that the team's cloud spending is booked to; carried as a label and cloud tag on everything the team owns.")
        Optional<String> costCenter,
        @Doc("Monthly budget of the team.") Optional<Budget> budget,
        @Doc("Limits on what the team may request; checked when a Cluster is created or resized.") Optional<Quotas> quotas,
        @Required @Doc("Environments the team may create clusters in, each with the cloud account that hosts it.")
        @ListMap("name") List<Environment> environments,
        @ListMap("name") @Doc("Secrets copied into each of the team's clusters once it answers, besides its flavor's; one naming "
                + "the same copy as the flavor's replaces it.") List<BootstrapSecret> bootstrapSecrets,
        @Doc("How long the team's clusters may live; the shorter of the team's and the flavor's maximum applies.")
        Optional<LifetimePolicy> lifetime,
        @Doc("Maintenance windows of the team's clusters that set none, winning over the flavor's.")
        Optional<MaintenancePolicy> maintenance) {

    public TeamSpec {
        displayName = Values.option(displayName);
        owners = Values.list(owners);
        groups = Values.list(groups);
        costCenter = Values.option(costCenter);
        budget = Values.option(budget);
        quotas = Values.option(quotas);
        environments = Values.list(environments);
        bootstrapSecrets = Values.list(bootstrapSecrets);
        lifetime = Values.option(lifetime);
        maintenance = Values.option(maintenance);
    }

    public Optional<Environment> environment(String name) {
        return environments.stream().filter(environment -> environment.name().equals(name)).findFirst();
    }

    @Doc("A monthly budget.")
    public record Budget(
            @Required @Doc("Monthly amount, as a decimal number or string, for example 12000 or \"12000.00\".")
            BigDecimal monthly,
            @Pattern(value = "^[A-Z]{3}$", meaning = "an ISO 4217 currency code such as USD or EUR")
            @Doc("ISO 4217 currency of the amount; it must be the PriceBooks' currency. Defaults to it.") Optional<String> currency,
            @Doc("What happens when a request would exceed the budget: enforce (refuse it, the default) or warn (accept it with a warning).")
            Optional<BudgetPolicy> policy) {

        public Budget {
            currency = Values.option(currency);
            policy = Values.option(policy);
        }
    }

    public enum BudgetPolicy {
        @JsonProperty("enforce") ENFORCE,
        @JsonProperty("warn") WARN
    }

    @Doc("Limits on what the team may request.")
    public record Quotas(
            @Minimum(0) @Doc("Most clusters the team may have at once.") Optional<Integer> clusters,
            @Minimum(0) @Doc("Most nodes the team's clusters may scale to together: the sum of maxSize over all node pools.")
            Optional<Integer> nodes) {

        public Quotas {
            clusters = Values.option(clusters);
            nodes = Values.option(nodes);
        }
    }

    @Doc("An environment the team may use.")
    public record Environment(
            @Required @Doc("Environment name, for example development, staging or production.") String name,
            @Doc("Cloud account that hosts the team's clusters of this environment.") Optional<CloudAccount> cloudAccount) {

        public Environment {
            cloudAccount = Values.option(cloudAccount);
        }
    }

    @Doc("A cloud account.")
    public record CloudAccount(
            @Required @Doc("Account id, for example the 12-digit AWS account id.") String id,
            @Doc("IAM role that Cluster API assumes in the account (AWS).") Optional<String> roleArn,
            @Pattern(value = "^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", meaning = "an IAM role ARN such as "
                    + "arn:aws:iam::123456789012:role/payments-developers")
            @Doc("IAM role the team's people assume in the account (for example an IAM Identity Center permission set's "
                    + "role). On EKS an access entry maps it to the team's groups, so the RoleBindings Drover writes for "
                    + "those groups apply to them.") Optional<String> teamRoleArn) {

        public CloudAccount {
            roleArn = Values.option(roleArn);
            teamRoleArn = Values.option(teamRoleArn);
        }
    }
}
