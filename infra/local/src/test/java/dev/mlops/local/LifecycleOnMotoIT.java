package dev.mlops.local;

/** The lifecycle, driven from the outside, with moto's server as S3 and DynamoDB: no behaviour rests on one emulator. */
@OnMoto
class LifecycleOnMotoIT extends LifecycleIT {
}
