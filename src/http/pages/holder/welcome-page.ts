import type { FrontPageLink } from '../front-page.js';
import { holderPage } from './layout.js';

/** `/me` signed out: what this is, and one way in, through the province's identity platform. */
export function welcomePage(notice: string | null = null): string {
  return holderPage(
    { title: '我的电子证照 · My licenses', holder: null, notice },
    `<section class="hero">
<h1>我的电子证照 <small>My licenses</small></h1>
<p>查看您名下的电子证照，授权办事机构用证，查阅每一次用证记录。<span class="en">See the licenses you hold, authorize an office to use them, and read every use of them.</span></p>
<a class="button" href="/me/sign-in">通过统一身份认证登录</a>
<span class="en">Sign in through the province's identity platform</span>
<ul class="features">
<li>我的证照：证照照面、状态和原件下载<span class="en">Your licenses: face, status, the signed original</span></li>
<li>授权用证：生成用证码，只给您选定的机构和事项使用<span class="en">Authorize an office with a code, for the matter you choose</span></li>
<li>用证记录：谁在何时、为何使用了您的证照<span class="en">Usage record: who used your licenses, when and why</span></li>
</ul>
</section>`,
  );
}

/** How the front page points holders here. */
export const MY_LICENSES_LINK: FrontPageLink = {
  href: '/me',
  zh: '我的电子证照',
  en: 'My licenses',
  about: {
    zh: '持证人登录后查看名下证照、授权办事机构用证、查阅用证记录。',
    en: 'For holders: sign in to see your licenses, authorize an office to use them and read every use.',
  },
};
