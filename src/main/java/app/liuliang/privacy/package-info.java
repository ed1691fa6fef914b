/**
 * Erasure on request (PIPL): {@code liuliang contacts forget} and the console's button. Each package
 * that owns tables with patient data erases its own rows through a {@link app.liuliang.privacy.PatientData};
 * {@link app.liuliang.privacy.PatientEraser} runs them all in one transaction and keeps an anonymous audit row.
 */
package app.liuliang.privacy;
