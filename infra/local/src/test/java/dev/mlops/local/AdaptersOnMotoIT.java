package dev.mlops.local;

/** The port contracts of the AWS adapters with moto's server as S3 and DynamoDB (Step Functions: the local facade). */
@OnMoto
class AdaptersOnMotoIT extends AdaptersOnEmulatorsIT {
}
