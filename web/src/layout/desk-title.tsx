import { Typography } from 'antd';

/** A desk page's title: the task's name, the page's one h1. */
export function DeskTitle({ children }: { readonly children: string }) {
  return (
    <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
      {children}
    </Typography.Title>
  );
}
