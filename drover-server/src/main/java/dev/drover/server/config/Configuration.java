package dev.drover.server.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;

/**
 * Resolved settings. Precedence: command-line flag, then environment variable, then config file
 * ({@code key=value} lines), then the default.
 */
public final class Configuration {

    /** Where a value came from, for {@code drover show-config}. */
    public enum Source { FLAG, ENVIRONMENT, FILE, DEFAULT }

    public record Value(String text, Source source) {
        public Value {
            requireNonNull(text, "text is null");
            requireNonNull(source, "source is null");
        }
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("^(\\d+)(ms|s|m|h)$");

    private final Map<Option, Value> values;

    private Configuration(Map<Option, Value> values) {
        this.values = values;
    }

    /**
     * @param flags values given on the command line
     * @param environment the process environment
     * @param configFile a {@code key=value} file, if given
     * @throws IllegalArgumentException naming the option and what is allowed when a value is invalid
     */
    public static Configuration resolve(Map<Option, String> flags, Map<String, String> environment, Optional<Path> configFile) {
        Properties file = new Properties();
        if (configFile.isPresent()) {
            try (Reader reader = Files.newBufferedReader(configFile.get())) {
                file.load(reader);
            } catch (IOException unreadable) {
                throw new IllegalArgumentException("cannot read config file " + configFile.get() + ": " + unreadable.getMessage());
            }
            for (String key : file.stringPropertyNames()) {
                if (java.util.Arrays.stream(Option.values()).noneMatch(option -> option.key().equals(key))) {
                    throw new IllegalArgumentException("config file " + configFile.get() + " sets unknown option \"" + key + "\"");
                }
            }
        }
        Map<Option, Value> values = new EnumMap<>(Option.class);
        for (Option option : Option.values()) {
            Value value;
            if (flags.containsKey(option)) {
                value = new Value(flags.get(option), Source.FLAG);
            } else if (environment.containsKey(option.environmentVariable())) {
                value = new Value(environment.get(option.environmentVariable()), Source.ENVIRONMENT);
            } else if (file.containsKey(option.key())) {
                value = new Value(file.getProperty(option.key()).trim(), Source.FILE);
            } else {
                value = new Value(option.defaultValue(), Source.DEFAULT);
            }
            if (!option.allowedValues().isEmpty() && !option.allowedValues().contains(value.text())) {
                throw new IllegalArgumentException("--" + option.key() + " (" + option.environmentVariable() + ") is \""
                        + value.text() + "\"; allowed: " + String.join(", ", option.allowedValues()));
            }
            values.put(option, value);
        }
        var configuration = new Configuration(values);
        // Every value is checked here, before anything starts: a bad port must not leave a database half started.
        configuration.port(Option.PORT);
        configuration.port(Option.GIT_PORT);
        configuration.atLeast(Option.DATABASE_POOL_SIZE, 1);
        configuration.duration(Option.CHANGE_RETENTION);
        configuration.duration(Option.WATCH_BOOKMARK_INTERVAL);
        if (configuration.duration(Option.TLS_RELOAD_INTERVAL).isZero()) {
            throw new IllegalArgumentException("--" + Option.TLS_RELOAD_INTERVAL.key() + " must be longer than 0, such as 1m");
        }
        configuration.atLeast(Option.MAX_WATCHES_PER_TOKEN, 1);
        configuration.duration(Option.AUDIT_RETENTION);
        configuration.checkOidc();
        configuration.atLeast(Option.TEAM_REQUESTS_PER_SECOND, 0);
        configuration.duration(Option.EVENT_RETENTION);
        configuration.duration(Option.BOOTSTRAP_SECRET_RESYNC);
        configuration.requireReadableFile(Option.MANAGEMENT_KUBECONFIG, "a kubeconfig file, in-cluster, or nothing", "in-cluster");
        configuration.requireReadableFile(Option.ADMIN_TOKEN_FILE, "a file holding the admin token, or nothing", "");
        return configuration;
    }

    public String text(Option option) {
        return values.get(option).text();
    }

    public Value value(Option option) {
        return values.get(option);
    }

    public int integer(Option option) {
        String text = text(option);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException notANumber) {
            throw new IllegalArgumentException("--" + option.key() + " (" + option.environmentVariable() + ") is \""
                    + text + "\"; it must be a whole number");
        }
    }

    /** An issuer needs a client id and HTTPS (ID tokens are bearer secrets, as kube-apiserver insists); a CA file must be readable. */
    private void checkOidc() {
        String issuer = text(Option.OIDC_ISSUER_URL);
        if (issuer.isEmpty()) {
            return;
        }
        if (!issuer.startsWith("https://")) {
            throw new IllegalArgumentException("--" + Option.OIDC_ISSUER_URL.key() + " is \"" + issuer + "\"; the issuer "
                    + "must be an https:// URL");
        }
        if (text(Option.OIDC_CLIENT_ID).isEmpty()) {
            throw new IllegalArgumentException("--" + Option.OIDC_ISSUER_URL.key() + " needs --" + Option.OIDC_CLIENT_ID.key()
                    + ": the client id ID tokens are issued for");
        }
        String caFile = text(Option.OIDC_CA_FILE);
        if (!caFile.isEmpty() && !java.nio.file.Files.isReadable(java.nio.file.Path.of(caFile))) {
            throw new IllegalArgumentException("--" + Option.OIDC_CA_FILE.key() + " is \"" + caFile + "\", which is not a "
                    + "readable file of PEM certificates");
        }
    }

    /** A TCP port, 0 meaning any free one. */
    public int port(Option option) {
        int port = integer(option);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--" + option.key() + " (" + option.environmentVariable() + ") is " + port
                    + "; a port is 0 (any free port) to 65535");
        }
        return port;
    }

    private void atLeast(Option option, int least) {
        int value = integer(option);
        if (value < least) {
            throw new IllegalArgumentException("--" + option.key() + " (" + option.environmentVariable() + ") is " + value
                    + "; it must be at least " + least);
        }
    }

    /**
     * Empty, the given word, or a file that exists and can be read.
     *
     * @param expected what to give instead, for the message
     * @param word a value that names no file, allowed besides the empty one
     */
    private void requireReadableFile(Option option, String expected, String word) {
        String text = text(option);
        if (!text.isEmpty() && !text.equals(word) && !java.nio.file.Files.isReadable(java.nio.file.Path.of(text))) {
            throw new IllegalArgumentException("--" + option.key() + " (" + option.environmentVariable() + ") is \"" + text
                    + "\", which is not a readable file; give " + expected);
        }
    }

    public boolean flag(Option option) {
        return Boolean.parseBoolean(text(option));
    }

    public Duration duration(Option option) {
        String text = text(option);
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("--" + option.key() + " (" + option.environmentVariable() + ") is \""
                    + text + "\"; it must be a duration such as 500ms, 30s, 15m or 2h");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    public Path dataDirectory() {
        return Path.of(text(Option.DATA_DIR)).toAbsolutePath().normalize();
    }

    /** Each option with its value (secrets masked) and where it came from. */
    public String describe() {
        var lines = new StringBuilder();
        for (Option option : Option.values()) {
            Value value = values.get(option);
            String shown = option.secret() && !value.text().isEmpty() ? "********" : value.text();
            lines.append("%-24s %-40s (%s, %s)%n".formatted(option.key(), shown.isEmpty() ? "\"\"" : shown,
                    value.source().name().toLowerCase(java.util.Locale.ROOT), option.environmentVariable()));
        }
        return lines.toString();
    }
}
