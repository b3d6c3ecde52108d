package dev.mlops.core.ports.memory;

import dev.mlops.core.ports.BatchJobs;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.ports.contract.BatchJobsContract;
import dev.mlops.core.ports.contract.DatasetCatalogContract;
import dev.mlops.core.ports.contract.DriftCheckLogContract;
import dev.mlops.core.ports.contract.ModelRegistryContract;
import dev.mlops.core.ports.contract.ObjectStoreContract;
import dev.mlops.core.ports.contract.RunLogContract;
import org.junit.jupiter.api.Nested;

import java.time.Clock;

/**
 * The in-memory ports the service tests use pass the same contract as the AWS adapters on the
 * emulators ({@code PortsOnEmulatorsIT}), so a service test cannot pass on behaviour AWS lacks.
 */
class InMemoryPortsTest {

    @Nested
    class ObjectStoreInMemory extends ObjectStoreContract {
        private final ObjectStore store = new InMemoryObjectStore();

        @Override
        protected ObjectStore store() {
            return store;
        }
    }

    @Nested
    class DatasetCatalogInMemory extends DatasetCatalogContract {
        private final DatasetCatalog catalog = new InMemoryDatasetCatalog();

        @Override
        protected DatasetCatalog catalog() {
            return catalog;
        }
    }

    @Nested
    class RunLogInMemory extends RunLogContract {
        private final RunLog runs = new InMemoryRunLog(Clock.systemUTC());

        @Override
        protected RunLog runs() {
            return runs;
        }
    }

    @Nested
    class ModelRegistryInMemory extends ModelRegistryContract {
        private final ModelRegistry registry = new InMemoryModelRegistry(Clock.systemUTC());

        @Override
        protected ModelRegistry registry() {
            return registry;
        }
    }

    @Nested
    class DriftCheckLogInMemory extends DriftCheckLogContract {
        private final DriftCheckLog checks = new InMemoryDriftCheckLog();

        @Override
        protected DriftCheckLog checks() {
            return checks;
        }
    }

    @Nested
    class BatchJobsInMemory extends BatchJobsContract {
        private final BatchJobs jobs = new InMemoryBatchJobs();

        @Override
        protected BatchJobs jobs() {
            return jobs;
        }
    }
}
