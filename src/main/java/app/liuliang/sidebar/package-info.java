/**
 * The chat sidebar (聊天工具栏) beside each patient conversation in the WeCom client: who may see
 * which patient ({@link app.liuliang.sidebar.PatientAccess}), the record of every view and change
 * ({@code sidebar_audit}, {@link app.liuliang.sidebar.SidebarAudit}), the quick replies (话术: the FAQ
 * answers and {@code config/scripts.yaml}), the sidebar's settings ({@code config/sidebar.yaml}) and
 * the OAuth2 link staff sign in through. The pages and routes are in {@code web/sidebar}.
 */
package app.liuliang.sidebar;
