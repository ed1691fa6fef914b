/**
 * New patients and what we know of them: channels, the value-first welcome, tags and their sync
 * with WeCom, layers, and referrals (KOC).
 */
package app.liuliang.contact;
