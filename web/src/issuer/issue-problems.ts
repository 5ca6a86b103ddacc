import type { Problem } from '../api/problems';
import { problemMessage } from '../api/problems';
import type { CatalogueEntry } from './catalogue';
import { holderLabels } from './catalogue';
import type { ErrorPlace } from './issue-rules';
import { fieldMessage, HOLDER_NAME_MESSAGE, holderNumberMessage, validityMessage } from './rule-messages';

/** What issuing (or previewing, or a batch row) can be refused with, said for the issuer. */
export const ISSUE_MESSAGES: Readonly<Record<string, string>> = {
  ERR_LICENSE_TYPE_NOT_ALLOWED: '本部门无权签发这一类证照。请选择本部门负责的证照类型，或联系系统管理员调整部门的签发范围。',
  ERR_DEPARTMENT_CANNOT_ISSUE: '本部门尚未配置签章证书，暂时不能签发。请联系系统管理员。',
  ERR_TEMPLATE_NOT_FOUND: '证照目录中没有这一类证照，请刷新页面后重新选择。',
  ERR_RENDER_GLYPH_MISSING: '有文字无法印在证照上（证照字库中没有该字）。请检查生僻字，改用规范汉字后重试。',
  ERR_IDEMPOTENCY_KEY_REUSED: '这张表单已经提交过不同的内容。请点击“再签发一张”重新填写。',
  ERR_HOLDER_TYPE_MISMATCH: '持证主体类型与证照类型不符，请重新选择证照类型。',
  ERR_VALIDITY_INVALID: '有效期不符合此类证照的规定，请检查有效期自和有效期至。',
  ERR_HOLDER_NAME_INVALID: `持证主体名称不正确：${HOLDER_NAME_MESSAGE}`,
  ERR_RENDER_FAILED: '证照生成失败，请稍后再试；如仍不成功，请联系系统管理员。',
  ERR_STORE_UNAVAILABLE: '系统暂时无法保存，请稍后再试。',
};

/** Where the vault's refusal belongs on the form, and what it says; `place` null: above the form. */
export function placeOfProblem(entry: CatalogueEntry, problem: Problem | undefined): { readonly place: ErrorPlace | null; readonly message: string } {
  const code = problem?.code ?? '';
  const field = typeof problem?.details?.field === 'string' ? problem.details.field : undefined;
  if (code.startsWith('ERR_CITIZEN_ID_') || code.startsWith('ERR_CREDIT_CODE_'))
    return { place: 'holder.id', message: holderNumberMessage(code, holderLabels(entry.holderType).number) };
  if (code === 'ERR_HOLDER_NAME_INVALID') return { place: 'holder.name', message: HOLDER_NAME_MESSAGE };
  if (code === 'ERR_VALIDITY_INVALID') return { place: 'validUntil', message: validityMessage(entry.validity) };
  if (code.startsWith('ERR_FIELD_') && field !== undefined) {
    return {
      place: `fields.${field}`,
      message: fieldMessage(
        code,
        entry.fields.find((f) => f.key === field),
        entry.example.fields[field],
      ),
    };
  }
  return { place: null, message: problemMessage(problem, ISSUE_MESSAGES) };
}
