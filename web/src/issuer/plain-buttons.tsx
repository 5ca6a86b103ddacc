import { ConfigProvider } from 'antd';
import type { ReactNode } from 'react';

/**
 * antd writes a space between the two characters of a two-character Chinese
 * button (签 发), which then is the button's accessible name too: the desks'
 * buttons keep their names as written (签发, 预览, 注销).
 */
export function PlainButtons({ children }: { readonly children: ReactNode }) {
  return <ConfigProvider button={{ autoInsertSpace: false }}>{children}</ConfigProvider>;
}
