package dev.drover.server.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version Drover was built as. */
public final class DroverVersion {

    private DroverVersion() {
    }

    public static String current() {
        try (InputStream input = DroverVersion.class.getResourceAsStream("/dev/drover/server/version.properties")) {
            var properties = new Properties();
            properties.load(input);
            return properties.getProperty("version");
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
