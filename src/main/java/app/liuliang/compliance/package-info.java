/**
 * Medical-advertising wording: the clinic's word list ({@code config/compliance.yaml}), the check
 * that every text the bot sends passes when its file is read, and the same words kept in WeCom as
 * intercept rules for staff's own chats ({@link app.liuliang.compliance.InterceptRuleSync}).
 */
package app.liuliang.compliance;
