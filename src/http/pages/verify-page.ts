import { FIELD_CHECK_TEXT, RESULT_TEXT, STATUS_TEXT } from './verdict-text.js';

/**
 * `/verify`: choose or drop a PDF and read the verdict, each check explained;
 * or type a license number and its holder to check them. The page and its
 * script are static; the script only posts the file to
 * `POST /api/v1/verifications` (the details to `POST /api/v1/verifications/fields`)
 * and writes the answer into the page.
 */
export const VERIFY_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>电子证照核验 · Verify a license</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,"Noto Sans SC","PingFang SC",sans-serif;margin:0;padding:1rem;background:#f6f6f4;color:#1a1a1a}
main{max-width:44rem;margin:auto;background:#fff;border-radius:.5rem;padding:1.25rem;box-shadow:0 1px 3px #0002}
#drop{display:block;border:2px dashed #999;border-radius:.5rem;padding:2rem;text-align:center;cursor:pointer}
#drop.over{border-color:#0b6b2e;background:#f0faf3}
.verdict{font-size:1.5rem;font-weight:700;padding:.75rem 1rem;border-radius:.4rem;margin-top:1rem}
.good{background:#e6f4ea;color:#0b6b2e}.bad{background:#fdecea;color:#a50e0e}.warn{background:#fff4e5;color:#8a4b00}
.en{display:block;font-size:1rem;font-weight:400}
ul{padding-left:1.2rem}li{margin:.25rem 0;word-break:break-word}.ok::marker{content:"✓ ";color:#0b6b2e}.fail::marker{content:"✗ ";color:#a50e0e}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem;overflow-wrap:anywhere}dt{color:#555}@media (max-width:30rem){dl{grid-template-columns:1fr;gap:.1rem}dd{margin:0 0 .5rem}}
form{display:grid;gap:.6rem;margin-top:.5rem}form label{display:grid;gap:.2rem}form input{font:inherit;padding:.4rem .5rem;border:1px solid #999;border-radius:.3rem}
form button{justify-self:start;font:inherit;padding:.4rem 1.2rem;border:0;border-radius:.3rem;background:#0b6b2e;color:#fff;cursor:pointer}
h2{font-size:1.15rem;margin:1.5rem 0 .25rem}
</style>
</head>
<body>
<main>
<h1>电子证照核验 <small>Verify a license</small></h1>
<p>选择或拖入电子证照 PDF 文件，核验其真实性与状态。<br>Choose or drop a license PDF to check that it is genuine and in force.</p>
<label id="drop" for="file">点击选择文件或拖到此处 · Click to choose a file, or drop it here
<input id="file" type="file" accept="application/pdf,.pdf" hidden></label>
<h2>核对纸质证照信息 <small>Check the details of a paper copy</small></h2>
<p>只有纸质件或照片时，填写证照编号（或电子证照标识）和持证主体，核对是否与本库签发的证照相符。<br>With only paper or a photo, type the license number (or identifier) and its holder to check them against this vault.</p>
<form id="fields">
<label>证照编号或电子证照标识 License number or identifier<input name="license" required maxlength="200" autocomplete="off"></label>
<label>持证主体名称 Holder name<input name="holderName" required maxlength="100" autocomplete="off"></label>
<label>身份证件号码或统一社会信用代码 Holder ID number or credit code<input name="holderId" required maxlength="40" autocomplete="off"></label>
<button type="submit">核对 Check</button>
</form>
<div id="result" aria-live="polite"></div>
<noscript><p>此页面需要 JavaScript；也可用命令行 <code>license-vault verify</code>。This page needs JavaScript; the offline CLI works without it.</p></noscript>
</main>
<script src="/verify/verify.js"></script>
</body>
</html>
`;

export const VERIFY_SCRIPT = `'use strict';
(function () {
  var TEXT = ${JSON.stringify({ ...RESULT_TEXT, ...FIELD_CHECK_TEXT })};
  var STATUS = ${JSON.stringify(STATUS_TEXT)};
  var result = document.getElementById('result');
  var drop = document.getElementById('drop');
  var input = document.getElementById('file');
  function el(tag, className, text) { var e = document.createElement(tag); if (className) e.className = className; if (text !== undefined) e.textContent = text; return e; }
  function show(body) {
    result.textContent = '';
    var t = TEXT[body.result] || { zh: body.title || '核验失败', en: body.detail || 'Verification failed', tone: 'bad' };
    // Details that match a license no longer in force are no reason to accept the paper: say so in the verdict's colour.
    var inForce = !body.license || body.license.status === 'active';
    // An authentic annotated copy of a license no longer in force: say what the original is now.
    var headline = body.copy && body.result === 'authentic-copy' && !inForce ? '加注件真实，但原件' + (STATUS[body.license.status] || body.license.status) + '，不再有效' : t.zh;
    var verdict = el('p', 'verdict ' + (t.tone === 'good' && !inForce ? 'warn' : t.tone), headline);
    verdict.setAttribute('data-result', body.result || body.code || 'error');
    verdict.appendChild(el('span', 'en', t.en));
    result.appendChild(verdict);
    if (body.copy) {
      var made = new Date(Date.parse(body.copy.madeAt) + 8 * 3600000).toISOString();
      var copyRows = el('dl');
      [['加注件编号 Copy', body.copy.copyId], ['提供给 Provided to', body.copy.office.name], ['办理事项 Service item', body.copy.serviceItem], ['用证事由 Purpose', body.copy.purpose], ['加注时间 Made', made.slice(0, 10) + ' ' + made.slice(11, 16) + '（北京时间）'], ['有效期至 Valid until', body.copy.validUntil + (body.copy.expired ? '（已过期 expired）' : '')]].forEach(function (row) {
        copyRows.appendChild(el('dt', '', row[0])); copyRows.appendChild(el('dd', '', row[1]));
      });
      result.appendChild(el('h2', '', '加注件 Annotated copy'));
      result.appendChild(copyRows);
      if (body.license) result.appendChild(el('h2', '', '原件 The original'));
    }
    if (body.license) {
      var status = inForce ? { zh: '有效', en: 'In force' } : TEXT[body.license.status] || { zh: body.license.status, en: '' };
      var dl = el('dl');
      [['状态 Status', status.zh + ' ' + status.en], ['证照类型 Type', (body.license.licenseType && body.license.licenseType.name) || ''], ['证照编号 Number', body.license.licenseNumber], ['持证主体 Holder', body.license.holderName + '（' + body.license.holderId + '）'], ['发证机关 Issuer', body.license.issuer.name], ['有效期 Validity', body.license.validFrom + ' — ' + (body.license.validUntil || '长期')], ['电子证照标识 Identifier', body.license.identifier]].forEach(function (row) {
        dl.appendChild(el('dt', '', row[0])); dl.appendChild(el('dd', '', row[1]));
      });
      result.appendChild(dl);
    }
    if (body.checks) {
      result.appendChild(el('h2', '', '逐项检查 Checks'));
      var ul = el('ul');
      body.checks.forEach(function (check) { ul.appendChild(el('li', check.ok ? 'ok' : 'fail', check.name + '：' + check.detail)); });
      result.appendChild(ul);
    }
  }
  function post(url, init) {
    result.textContent = '核验中… Checking…';
    fetch(url, Object.assign({ method: 'POST' }, init)).then(function (response) { return response.json(); }).then(show, function () { show({ title: '网络错误', detail: 'Network error' }); });
  }
  function send(file) {
    if (!file) return;
    var form = new FormData();
    form.append('file', file);
    post('/api/v1/verifications', { body: form });
  }
  var fields = document.getElementById('fields');
  fields.addEventListener('submit', function (event) {
    event.preventDefault();
    var license = fields.elements.license.value.trim();
    var body = { holderName: fields.elements.holderName.value, holderId: fields.elements.holderId.value };
    body[license.indexOf('1.2.156.') === 0 ? 'identifier' : 'licenseNumber'] = license;
    post('/api/v1/verifications/fields', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  });
  input.addEventListener('change', function () { send(input.files[0]); });
  drop.addEventListener('dragover', function (event) { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
  drop.addEventListener('drop', function (event) { event.preventDefault(); drop.classList.remove('over'); send(event.dataTransfer.files[0]); });
})();
`;
