/**
 * Customer groups (客户群): who is in each group (from {@code change_external_chat} callbacks and a
 * periodic {@code groupchat/list} sync), the categories of {@code config/groups.yaml} with their group
 * codes and join welcomes reconciled into WeCom, tags and layers for patients who join, and churn
 * alerts (流失提醒) to staff. Owns the {@code group_*} tables.
 */
package app.liuliang.group;
