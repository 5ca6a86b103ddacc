import type { ReactNode } from 'react';

/**
 * Form labels with the required mark hidden from screen readers, so that a
 * field's accessible name is its label as the template writes it (性别, not
 * “* 性别”; antd's own mark is CSS content, which browsers read into the name).
 */
export function requiredMark(label: ReactNode, { required }: { required: boolean }): ReactNode {
  return (
    <>
      {required && (
        <span aria-hidden="true" style={{ color: '#d4380d', marginInlineEnd: 4 }}>
          *
        </span>
      )}
      {label}
    </>
  );
}
