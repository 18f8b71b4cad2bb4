package dev.drover.model.schema;

import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes naming rules for object names, label keys and label values. */
public final class Names {

    private static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
    private static final Pattern DNS_1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern LABEL_NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");

    private Names() {
    }

    /** Why the name is not a DNS-1123 label, if it is not one. */
    public static Optional<String> checkLabel(String name) {
        if (name.length() > 63) {
            return Optional.of("must be no more than 63 characters");
        }
        if (!DNS_1123_LABEL.matcher(name).matches()) {
            return Optional.of("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc')");
        }
        return Optional.empty();
    }

    /** Why the name is not a DNS-1123 subdomain, if it is not one. */
    public static Optional<String> checkSubdomain(String name) {
        if (name.length() > 253) {
            return Optional.of("must be no more than 253 characters");
        }
        if (!DNS_1123_SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                    + "and must start and end with an alphanumeric character (e.g. 'example.com')");
        }
        return Optional.empty();
    }

    /** Why the string is not a valid label key ({@code [prefix/]name}), if it is not one. */
    public static Optional<String> checkLabelKey(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            Optional<String> prefix = checkSubdomain(key.substring(0, slash));
            if (prefix.isPresent()) {
                return Optional.of("prefix part " + prefix.get());
            }
        }
        if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
            return Optional.of("name part must be at most 63 characters: alphanumeric, '-', '_' or '.', "
                    + "starting and ending with an alphanumeric character");
        }
        return Optional.empty();
    }

    /** Why the string is not a valid label value, if it is not one. */
    public static Optional<String> checkLabelValue(String value) {
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.length() > 63 || !LABEL_NAME.matcher(value).matches()) {
            return Optional.of("a valid label value must be an empty string or at most 63 characters: alphanumeric, "
                    + "'-', '_' or '.', starting and ending with an alphanumeric character");
        }
        return Optional.empty();
    }
}
