/**
 * Staff transfers (继承): a member's patients and customer groups moved to a colleague, for staff still at
 * the clinic (在职, {@code transfer_customer}) and for those who left (离职, {@code resigned/transfer_customer},
 * fed by {@code get_unassigned_list}). Owns {@code transfer_jobs}, {@code transfer_customers} and
 * {@code transfer_groups}: jobs submitted in batches of 100, results followed until final, refusals and
 * {@code transfer_fail} recorded, the 90-day limit reported and never retried, Liuliang's own records (follow,
 * pending sends, hand-offs, referral code) moved through their owners once WeCom moved the patient, and a
 * daily notice to the admins of departed staff's customers nobody took over.
 */
package app.liuliang.transfer;
