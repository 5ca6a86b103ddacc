/**
 * When a locked account may try again, from the Retry-After header (seconds,
 * or an HTTP date), said plainly: "请于 14:05 后再试（约 15 分钟）".
 */
export function retryAfterText(header: string | null, now: Date = new Date()): string | null {
  if (!header) return null;
  const seconds = /^\d+$/.test(header.trim()) ? Number(header.trim()) : (Date.parse(header) - now.getTime()) / 1000;
  if (!Number.isFinite(seconds) || seconds <= 0) return null;
  const at = new Date(now.getTime() + seconds * 1000);
  const clock = at.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return `请于 ${clock} 后再试（约 ${minutes} 分钟）。`;
}
