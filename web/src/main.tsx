import { App as AntApp, ConfigProvider } from 'antd';
import 'antd/dist/reset.css';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ConsoleRoutes } from './routes';
import { SessionProvider } from './session/session';

dayjs.locale('zh-cn');

const root = document.getElementById('root');
if (!root) throw new TypeError('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    {/* No space put between the two characters of a button's name (登 录): the name people and screen readers meet is 登录. */}
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1d5fb4', borderRadius: 6 } }}>
      <AntApp>
        <BrowserRouter basename="/console">
          <SessionProvider>
            <ConsoleRoutes />
          </SessionProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
