/**
 * The weekly SOP: week plans ({@code config/sop/<ISO week>.yaml}), campaigns with countdowns,
 * journeys and recalls. Plans are validated like a compiler would, stored in {@code sop_plans} /
 * {@code sop_items} (the source of truth), scheduled on Quartz (RAMJobStore, rebuilt from the store
 * at start) and sent through the outbox; staff confirmations are tracked and reminded once.
 */
package app.liuliang.sop;
