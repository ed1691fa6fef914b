/**
 * Per-staff figures: WeCom's daily behaviour data per staff member ({@code get_user_behavior_data}:
 * new contacts, chats, messages, reply rate and time, deletions), fetched every morning into
 * {@code staff_figures}, and Liuliang's own (hand-offs claimed and how fast, referrals), for the
 * 员工 console page and {@code /metrics}.
 */
package app.liuliang.figures;
