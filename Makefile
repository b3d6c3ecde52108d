# Build targets for `sam build` (template.yaml: Metadata.BuildMethod makefile, CodeUri .).
# SAM calls build-<LogicalId> with ARTIFACTS_DIR set; each function ships the shaded jar of its
# own Maven module, unpacked (Lambda loads classes from the zip root).

MVN ?= mvn -q -B -DskipTests

define package_function
	$(MVN) -pl $(1) -am package
	cd "$(ARTIFACTS_DIR)" && unzip -q -o "$(CURDIR)/$(1)/target/$(notdir $(1:functions/%=mlops-function-%))-0.1.0-SNAPSHOT-lambda.jar"
endef

build-IngestValidationFunction:
	$(call package_function,functions/ingest)

build-TrainingFunction:
	$(call package_function,functions/training)

build-RegistryFunction:
	$(call package_function,functions/registry)

build-InferenceFunction:
	$(call package_function,functions/inference)

build-DriftCheckFunction:
	$(call package_function,functions/drift)

# Both batch functions ship the batch module's jar (one job, two handlers).
build-BatchJobFunction:
	$(call package_function,functions/batch)

build-BatchScoringFunction:
	$(call package_function,functions/batch)

.PHONY: build-IngestValidationFunction build-TrainingFunction build-RegistryFunction build-InferenceFunction build-DriftCheckFunction \
	build-BatchJobFunction build-BatchScoringFunction
