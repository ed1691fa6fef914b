// 留量控制台: ask before actions that reach patients again; refresh the live pages now and then.
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });
  // Today and hand-offs change by the minute; reload them while the tab is visible.
  var path = window.location.pathname.replace(/\/$/, '');
  if (path === '/admin' || path === '/admin/handoffs') {
    window.setInterval(function () {
      if (document.visibilityState === 'visible') {
        window.location.reload();
      }
    }, 60000);
  }
});
