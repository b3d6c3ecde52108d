package dev.mlops.core.ports;

import dev.mlops.core.domain.DatasetVersion;

import java.util.List;
import java.util.Optional;

/** Dataset versions and their validation outcome. */
public interface DatasetCatalog {

    /** Records a version unless it is already recorded (first write wins); false for a duplicate. */
    boolean record(DatasetVersion version);

    Optional<DatasetVersion> find(String dataset, String version);

    /** Every version of a dataset, oldest first. */
    List<DatasetVersion> versions(String dataset);

    /** The names of every dataset with a recorded version, sorted. */
    List<String> datasets();
}
