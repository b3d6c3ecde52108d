package dev.mlops.local;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test class whose {@link dev.mlops.local.runtime.LocalEnvironment} plays S3 and DynamoDB with moto's server
 * instead of S3Mock and dynalite (see {@link LocalEnvironmentExtension}): a second, independent backend.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface OnMoto {
}
