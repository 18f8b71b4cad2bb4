package dev.drover.model.schema;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The list is a set of unique scalars ({@code x-kubernetes-list-type: set}): server-side apply owns each value on its
 * own, so two managers can add values to the same list.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ListSet {
}
