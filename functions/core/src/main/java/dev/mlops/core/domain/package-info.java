/**
 * The domain's records and statuses: {@link dev.mlops.core.domain.DatasetVersion}, {@link
 * dev.mlops.core.domain.Run} with its {@link dev.mlops.core.domain.RunStatus}, {@link
 * dev.mlops.core.domain.ModelVersion} with its {@link dev.mlops.core.domain.Lineage}, {@link
 * dev.mlops.core.domain.TrainingSummary} and {@link dev.mlops.core.domain.Blessing}, the {@link
 * dev.mlops.core.domain.AuditEntry audit trail} and {@link dev.mlops.core.domain.DriftCheck drift checks}.
 * Plain values: how they are stored is the adapters' business.
 */
package dev.mlops.core.domain;
