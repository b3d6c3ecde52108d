package dev.mlops.local;

import dev.mlops.local.template.CodeDeployments;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What `local up` says about the template's code deployment settings it cannot honour. */
class CodeDeploymentsTest {

    @Test
    void theInferenceFunctionsAliasSnapStartAndCanary_shouldEachBeNamedWithWhatTheLocalRuntimeDoes() {
        // WHEN
        var notes = CodeDeployments.localNotes(Repo.file("template.yaml"));
        // THEN one line, for the one function deployed so
        assertThat(notes).singleElement().satisfies(n -> assertThat(n)
                .startsWith("InferenceFunction: ")
                .contains("alias live: honoured as a name")
                .contains("SnapStart: not emulated")
                .contains("DeploymentPreference Canary10Percent5Minutes: not emulated"));
    }
}
