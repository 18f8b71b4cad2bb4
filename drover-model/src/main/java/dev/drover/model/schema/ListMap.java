package dev.drover.model.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The list is a map of items identified by the key fields ({@code x-kubernetes-list-type: map}): keys are unique,
 * server-side apply merges items by key and owns their fields one by one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ListMap {
    String[] value();
}
