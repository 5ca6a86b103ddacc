import { Form, Input } from 'antd';
import type { Rule } from 'antd/es/form';
import { meaningfulPurpose, meaningfulServiceItem, SERVICE_ITEM_MAX_LENGTH } from '../../../src/modules/licenses/purpose';
import { PURPOSE_MAX_LENGTH } from '../../../src/modules/licenses/limits';
import { CLERK_MESSAGES } from './clerk-messages';

/** The vault's own check of a free text, said in the clerk's words. */
function ruleOf(check: (text: string) => string, code: string): Rule {
  return {
    validator: (_rule, value: unknown) => {
      try {
        check(typeof value === 'string' ? value : '');
        return Promise.resolve();
      } catch {
        return Promise.reject(new Error(CLERK_MESSAGES[code]));
      }
    },
  };
}

/** 办理事项 and 用证事由: what the holder's licenses are used for, printed on the copy and written in the audit log. */
export function UseFields() {
  return (
    <>
      <Form.Item label="办理事项" name="serviceItem" rules={[ruleOf(meaningfulServiceItem, 'ERR_SERVICE_ITEM_REQUIRED')]}>
        <Input placeholder="如：义务教育入学登记" maxLength={SERVICE_ITEM_MAX_LENGTH} />
      </Form.Item>
      <Form.Item label="用证事由" name="purpose" rules={[ruleOf(meaningfulPurpose, 'ERR_PURPOSE_REQUIRED')]}>
        <Input placeholder="如：办理入学登记" maxLength={PURPOSE_MAX_LENGTH} />
      </Form.Item>
    </>
  );
}
