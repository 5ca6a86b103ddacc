import { createHash } from 'node:crypto';

/**
 * The holder pages' one stylesheet, mobile first: one column on a phone,
 * wider cards from 48rem. Served at {@link HOLDER_STYLESHEET_PATH} and cached
 * for a year: its URL carries a hash of its content.
 */
export const HOLDER_STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{font-family:system-ui,"Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f6f6f4;color:#1a1a1a;line-height:1.55;font-size:1rem}
a{color:#0b5394}
.top{background:#0b6b2e;color:#fff}
.top-inner{max-width:56rem;margin:auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem}
.brand{color:#fff;text-decoration:none;font-weight:700;font-size:1.05rem;margin-right:auto}
.brand small{font-weight:400;opacity:.85;margin-left:.3rem;font-size:.8rem}
.who{font-size:.85rem;opacity:.95;display:flex;align-items:center;gap:.5rem;flex-wrap:wrap}
.who form{margin:0}
.who button{font:inherit;font-size:.85rem;background:transparent;color:#fff;border:1px solid #fff9;border-radius:.3rem;padding:.15rem .6rem;cursor:pointer}
nav.tabs{background:#fff;border-bottom:1px solid #d9d9d4;overflow-x:auto}
nav.tabs ul{list-style:none;margin:0 auto;padding:0 .5rem;display:flex;max-width:56rem}
nav.tabs a{display:block;padding:.7rem .6rem;color:#333;text-decoration:none;white-space:nowrap;border-bottom:3px solid transparent}
nav.tabs a[aria-current=page]{color:#0b6b2e;border-bottom-color:#0b6b2e;font-weight:700}
main{max-width:56rem;margin:auto;padding:1rem}
h1{font-size:1.4rem;margin:.25rem 0 .75rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
h1 small,h2 small{font-weight:400;color:#555;font-size:.7em;margin-left:.3rem}
.en{display:block;color:#555;font-size:.85rem}
.panel{background:#fff;border-radius:.5rem;padding:1rem;box-shadow:0 1px 3px #0002;margin:0 0 1rem}
.panel>:first-child{margin-top:0}.panel>:last-child{margin-bottom:0}
.face-panel figcaption{text-align:center;margin-top:.4rem}
.notice{background:#e6f4ea;color:#0b4d22;border-left:4px solid #0b6b2e;padding:.6rem .8rem;border-radius:.3rem;margin-bottom:1rem}
.error{background:#fdecea;color:#7d0a0a;border-left:4px solid #a50e0e;padding:.6rem .8rem;border-radius:.3rem;margin-bottom:1rem}
.error p{margin:0}
.error code,.code-small{font-size:.75rem;color:#666;display:block;margin-top:.2rem}
.cards{list-style:none;margin:0;padding:0;display:grid;gap:.75rem}
.card{background:#fff;border-radius:.5rem;box-shadow:0 1px 3px #0002;padding:.85rem 1rem;position:relative}
.card-head{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:.25rem .75rem;margin-bottom:.35rem}
.card h2,.card h3{margin:0;font-size:1.1rem}
.card h3 a{text-decoration:none}.card h3 a:hover,.card h3 a:focus{text-decoration:underline}
.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
.card.ended{opacity:.6;background:#f3f3f1}
.badge{display:inline-block;font-size:.8rem;line-height:1.3;padding:.15rem .5rem;border-radius:1rem;font-weight:700;white-space:nowrap}
.badge.good{background:#e6f4ea;color:#0b6b2e;border:1px solid #0b6b2e55}
.badge.warn{background:#fff4e5;color:#8a4b00;border:1px solid #8a4b0055}
.badge.bad{background:#fdecea;color:#a50e0e;border:1px solid #a50e0e55}
.badge.muted{background:#eee;color:#555;border:1px solid #9995}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .75rem;margin:.25rem 0 0;font-size:.95rem}
dl.facts dt{color:#666}dl.facts dd{margin:0;overflow-wrap:anywhere;white-space:pre-line}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.75rem 0 1rem}
.actions form{margin:0}
.button,button.primary,button.secondary,button.danger{display:inline-block;font:inherit;font-size:1rem;line-height:1.3;padding:.6rem 1.1rem;border-radius:.35rem;border:1px solid #0b6b2e;background:#0b6b2e;color:#fff;text-decoration:none;cursor:pointer;text-align:center;min-height:2.75rem}
.button.secondary,button.secondary{background:#fff;color:#0b6b2e}
button.danger{background:#fff;color:#a50e0e;border-color:#a50e0e}
.button:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.wide{width:100%}
form.task{display:grid;gap:1rem}
.field{display:grid;gap:.3rem}
.field label,.field legend,.label{font-weight:700}
.hint{font-size:.85rem;color:#555;font-weight:400}
input[type=text],input:not([type]),select,textarea{font:inherit;width:100%;padding:.55rem .6rem;border:1px solid #888;border-radius:.3rem;background:#fff;min-height:2.75rem}
fieldset{border:1px solid #d9d9d4;border-radius:.4rem;padding:.5rem .75rem .75rem;margin:0;min-width:0}
legend{padding:0 .25rem}
.choice{display:flex;gap:.6rem;align-items:flex-start;padding:.45rem 0}
.choice input{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none}
.choice span{word-break:break-word}
.inline-choices{display:flex;flex-wrap:wrap;gap:0 1.5rem}
.code-box{text-align:center}
.code{display:block;font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:2.6rem;font-weight:700;letter-spacing:.12em;margin:.25rem 0 .5rem;color:#0b3d1c;word-spacing:.3em}
.qr{display:block;width:min(18rem,80vw);min-width:240px;max-width:100%;height:auto;margin:.5rem auto;background:#fff;padding:.5rem;border:1px solid #ddd;border-radius:.3rem}
.qr svg{display:block;width:100%;height:auto}
.face{display:block;width:100%;height:auto;border:1px solid #ddd;border-radius:.3rem;background:#fff}
.link-box{display:flex;gap:.5rem;flex-wrap:wrap;align-items:stretch}
.link-box input{flex:1 1 14rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
.empty{color:#555;text-align:center;padding:1.5rem 1rem}
.usage{list-style:none;padding:0;margin:0;display:grid;gap:.6rem}
.usage time{font-weight:700;font-variant-numeric:tabular-nums}
.usage .what{display:inline-block;margin-left:.5rem;vertical-align:.1em}
.pager{display:flex;justify-content:space-between;gap:.5rem;margin-top:1rem}
.counts{width:100%;border-collapse:collapse;font-size:.95rem}
.counts th,.counts td{text-align:left;padding:.35rem .25rem;border-bottom:1px solid #e5e5e0}.counts th{white-space:nowrap}
.counts td:last-child,.counts th:last-child{text-align:right;font-variant-numeric:tabular-nums}
.hero{text-align:center;padding:2rem 1rem}
.hero h1{font-size:1.6rem}
.hero p{max-width:32rem;margin:.5rem auto}
.hero .button{margin-top:1rem;font-size:1.1rem;padding:.8rem 1.6rem}
.features{list-style:none;padding:0;margin:1.5rem auto 0;max-width:32rem;text-align:left;display:grid;gap:.5rem}
.features li{background:#fff;border-radius:.4rem;padding:.6rem .8rem;box-shadow:0 1px 2px #0001}
.copied{color:#0b6b2e;font-size:.9rem;align-self:center}
[hidden]{display:none!important}
@media (min-width:48rem){
  main{padding:1.5rem 1rem}
  .cards.grid{grid-template-columns:repeat(2,1fr)}
  .license-layout{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1rem;align-items:start}
  .code{font-size:3.2rem}
}
@media (max-width:20rem){dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:.35rem}}
`;

const HASH = createHash('sha256').update(HOLDER_STYLESHEET).digest('hex').slice(0, 12);

export const HOLDER_STYLESHEET_PATH = '/me/holder.css';
/** The URL pages link: the path with the content's hash, so a changed stylesheet is a new URL. */
export const HOLDER_STYLESHEET_URL = `${HOLDER_STYLESHEET_PATH}?v=${HASH}`;
