// The chat sidebar: registers the WeCom JS-SDK with the server's signatures, reads which chat it sits
// beside, and shows that patient (or group) from the server's JSON. Text goes in with textContent only.
(function () {
  'use strict';
  var body = document.body;
  var csrf = body.dataset.csrf;
  var current = { externalUserId: null, chatId: null };
  var allReplies = [];

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }
  function status(text) { $('status').textContent = text; $('status').hidden = !text; }
  function notice(text, isError) {
    var n = $('notice');
    n.textContent = text || '';
    n.hidden = !text;
    n.className = isError ? 'notice error' : 'notice';
  }
  function api(path, payload) {
    var options = { credentials: 'same-origin', headers: {} };
    if (payload !== undefined) {
      options.method = 'POST';
      options.headers['Content-Type'] = 'application/json';
      options.headers['X-CSRF-Token'] = csrf;
      options.body = JSON.stringify(payload);
    }
    return fetch(path, options).then(function (response) {
      return response.json().then(function (json) {
        if (!response.ok) { throw new Error(json.error || ('请求失败（' + response.status + '）')); }
        return json;
      });
    });
  }
  function signature(kind) {
    return function (url) {
      return api('/sidebar/jsapi-signature?kind=' + kind + '&url=' + encodeURIComponent(url)).then(function (s) {
        return { timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.signature };
      });
    };
  }

  function fill(list, items, render) {
    list.replaceChildren();
    if (!items.length) { list.appendChild(el('li', '（无）', 'muted')); }
    items.forEach(function (item) { list.appendChild(render(item)); });
  }

  function showPatient(p) {
    current.externalUserId = p.externalUserId;
    $('patient').hidden = false;
    $('patient-name').textContent = p.name;
    $('p-layer').textContent = p.layer + (p.optedOut ? '（已退订）' : '');
    $('p-channel').textContent = p.channel;
    $('p-store').textContent = p.store || '—';
    $('p-referrer').textContent = p.referrer || '—';
    $('p-doctor').textContent = p.doctor || '—';
    $('p-referral').textContent = (p.referralCode || '—') + '，已推荐 ' + p.referrals.counted + ' 位' +
        (p.referrals.pending ? '（待确认 ' + p.referrals.pending + ' 位）' : '') +
        (p.referrals.nextReward ? '，再推荐 ' + p.referrals.remaining + ' 位得「' + p.referrals.nextReward + '」' : '');
    fill($('tags'), p.tags, function (t) {
      var li = el('li', t.name);
      var remove = el('button', '×');
      remove.type = 'button';
      remove.title = '去掉标签 ' + t.name;
      remove.dataset.tag = t.name;
      remove.addEventListener('click', function () { changeTag(t.name, false); });
      li.appendChild(remove);
      return li;
    });
    var select = $('tag-to-add');
    select.replaceChildren();
    p.addableTags.forEach(function (t) { var o = el('option', t); o.value = t; select.appendChild(o); });
    var doctors = $('doctor');
    doctors.replaceChildren();
    p.doctors.forEach(function (d) { var o = el('option', d.name); o.value = d.id; doctors.appendChild(o); });
    $('handoff-now').textContent = p.handoff
        ? '进行中：' + p.handoff.reason + ' → ' + p.handoff.doctor + '（' + p.handoff.state + '，' + p.handoff.openedAt + '）'
        : '当前没有进行中的转接。';
    fill($('messages'), p.messages, function (m) {
      var li = el('li', m.text, m.in ? 'in' : 'out');
      li.appendChild(el('time', m.at));
      return li;
    });
    fill($('visits'), p.visits, function (v) {
      var li = el('li', v.label + (v.text ? '：' + v.text : '') + (v.detail ? '（' + v.detail + '）' : ''));
      li.appendChild(el('time', v.at));
      return li;
    });
  }

  function showGroup(g) {
    $('group').hidden = false;
    $('group-name').textContent = g.name;
    $('g-category').textContent = g.category;
    $('g-owner').textContent = g.owner;
    fill($('group-patients'), g.patients, function (m) { return el('li', m.name + ' · ' + m.layer); });
    $('group-others').textContent = g.others > 0 ? '另有 ' + g.others + ' 位客户还不是登记的患者。' : '';
  }

  function changeTag(tag, add) {
    api('/sidebar/api/patient/tags', { external_userid: current.externalUserId, tag: tag, add: add })
      .then(function (answer) { notice(answer.notice); showPatient(answer.patient); })
      .catch(function (e) { notice(e.message, true); });
  }

  function showReplies() {
    var q = $('reply-search').value.trim().toLowerCase();
    var shown = allReplies.filter(function (r) {
      return !q || (r.category + '\n' + r.title + '\n' + r.text).toLowerCase().indexOf(q) >= 0;
    });
    fill($('replies'), shown, function (r) {
      var li = el('li');
      li.dataset.reply = r.id;
      li.appendChild(el('span', r.title, 'title'));
      li.appendChild(el('span', r.category, 'category'));
      li.appendChild(el('p', r.text));
      var send = el('button', '发送');
      send.type = 'button';
      send.addEventListener('click', function () { sendReply(r); });
      li.appendChild(send);
      return li;
    });
  }

  function sendReply(reply) {
    ww.sendChatMessage({ msgtype: 'text', enterChat: true, text: { content: reply.text } })
      .then(function () {
        notice('已发送「' + reply.title + '」。');
        return api('/sidebar/api/replies/sent', {
          external_userid: current.externalUserId || '', chat_id: current.chatId || '', reply_id: reply.id });
      })
      .catch(function (e) { notice('发送失败：' + (e.errMsg || e.message || e), true); });
  }

  function loadReplies() {
    var query = current.externalUserId ? '?external_userid=' + encodeURIComponent(current.externalUserId) : '';
    return api('/sidebar/api/replies' + query).then(function (answer) {
      allReplies = answer.replies;
      $('replies-box').hidden = false;
      showReplies();
    });
  }

  function start() {
    $('add-tag').addEventListener('submit', function (e) { e.preventDefault(); changeTag($('tag-to-add').value, true); });
    $('handoff').addEventListener('submit', function (e) {
      e.preventDefault();
      api('/sidebar/api/handoff', { external_userid: current.externalUserId, doctor: $('doctor').value })
        .then(function (answer) { notice(answer.notice); showPatient(answer.patient); })
        .catch(function (err) { notice(err.message, true); });
    });
    $('reply-search').addEventListener('input', showReplies);
    if (typeof ww === 'undefined') {
      status('无法加载企业微信 JS-SDK，请在企业微信客户端中打开。');
      return;
    }
    ww.register({
      corpId: body.dataset.corpId,
      agentId: Number(body.dataset.agentId),
      jsApiList: ['getContext', 'getCurExternalContact', 'getCurExternalChat', 'sendChatMessage'],
      getConfigSignature: signature('corp'),
      getAgentConfigSignature: signature('agent')
    });
    ww.getContext().then(function (context) {
      if (context.entry === 'single_chat_tools' || context.entry === 'single_kf_tools' || context.entry === 'contact_profile') {
        return ww.getCurExternalContact().then(function (contact) {
          current.externalUserId = contact.userId;
          return api('/sidebar/api/patient?external_userid=' + encodeURIComponent(contact.userId)).then(showPatient);
        });
      }
      if (context.entry === 'group_chat_tools') {
        return ww.getCurExternalChat().then(function (chat) {
          current.chatId = chat.chatId;
          return api('/sidebar/api/group?chat_id=' + encodeURIComponent(chat.chatId)).then(showGroup);
        });
      }
      throw new Error('请从聊天窗口的工具栏打开侧边栏。');
    }).then(function () { status(''); return loadReplies(); })
      .catch(function (e) { status(''); notice(e.errMsg || e.message || String(e), true); });
  }

  start();
}());
