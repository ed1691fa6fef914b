/**
 * Everything that talks to WeCom: {@link app.liuliang.wecom.WeComClient} (our interface, with
 * {@link app.liuliang.wecom.WxJavaWeComClient} as the one implementation), the access token shared
 * through the store, and the {@link app.liuliang.wecom.Outbox} through which every outbound action
 * goes, so it survives crashes and outages and never reaches a patient twice. Only this package (and
 * the callback crypto) imports WxJava.
 */
package app.liuliang.wecom;
