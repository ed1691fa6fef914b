/**
 * Channel codes: the 「联系我」 QR codes Liuliang creates in WeCom from {@code config/channels.yaml}
 * (reconciled at start, every few minutes and by {@code liuliang channels sync}), their QR images and
 * printable posters, and the figures the console's 渠道 page shows for each.
 */
package app.liuliang.channel;
