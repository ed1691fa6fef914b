/**
 * Medical-advertising wording: the clinic's word list ({@code config/compliance.yaml}) and the check
 * that every text the bot sends passes when its file is read.
 */
package app.liuliang.compliance;
