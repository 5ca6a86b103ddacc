import { createHash } from 'node:crypto';

/**
 * The holder pages' only script, a progressive enhancement: a 复制链接 button
 * beside a share link (the link is selectable text without it). Served as a
 * file, since the Content-Security-Policy allows no inline script.
 */
export const HOLDER_SCRIPT = `'use strict';
(function () {
  var buttons = document.querySelectorAll('[data-copy]');
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.getAttribute('data-copy') + '-copied');
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) status.hidden = false;
      }, function () {
        field.select();
      });
    });
  });
})();
`;

const HASH = createHash('sha256').update(HOLDER_SCRIPT).digest('hex').slice(0, 12);

export const HOLDER_SCRIPT_PATH = '/me/holder.js';
export const HOLDER_SCRIPT_URL = `${HOLDER_SCRIPT_PATH}?v=${HASH}`;
