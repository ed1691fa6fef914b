/**
 * The clinic's staff accounts ({@code config/accounts.yaml}): assistants (流量号) and doctors (专家号),
 * their persona, nickname, role, services, working hours and specialties, and the on-duty roster.
 * Shared by welcome, hand-off and SOP.
 */
package app.liuliang.account;
