// A stand-in for WeCom's JS-SDK (it only works inside the WeCom client): answers the chat the test
// chose (__ENTRY__, __CONTACT__, __CHAT__) and records every call, the signatures it was given and
// what the page sent, in window.__ww for the test to read.
(function () {
  'use strict';
  var record = { calls: [], sent: [], signatures: {}, register: null };
  window.__ww = record;
  function call(name, answer) {
    record.calls.push(name);
    return Promise.resolve(answer);
  }
  window.ww = {
    SDK_VERSION: 'stub',
    register: function (options) {
      record.calls.push('register');
      record.register = { corpId: options.corpId, agentId: options.agentId, jsApiList: options.jsApiList };
      var url = location.href.split('#')[0];
      Promise.resolve(options.getAgentConfigSignature(url)).then(function (s) {
        record.signatures.agent = { url: url, timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.signature };
      });
      Promise.resolve(options.getConfigSignature(url)).then(function (s) {
        record.signatures.corp = { url: url, timestamp: s.timestamp, nonceStr: s.nonceStr, signature: s.signature };
      });
    },
    getContext: function () { return call('getContext', { entry: '__ENTRY__', shareTicket: '' }); },
    getCurExternalContact: function () { return call('getCurExternalContact', { userId: '__CONTACT__' }); },
    getCurExternalChat: function () { return call('getCurExternalChat', { chatId: '__CHAT__' }); },
    sendChatMessage: function (message) {
      record.sent.push(message);
      return call('sendChatMessage', { errMsg: 'sendChatMessage:ok' });
    }
  };
}());
