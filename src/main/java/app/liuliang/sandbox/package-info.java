/**
 * The built-in WeCom sandbox: an embedded WireMock that answers the endpoints Liuliang uses with
 * realistic JSON and records what the bot sent, plus the simulator that signs and encrypts test
 * callbacks. Used when no real corp is configured, and by the tests.
 */
package app.liuliang.sandbox;
