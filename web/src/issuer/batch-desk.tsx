import { InboxOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Progress, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useMemo, useState } from 'react';
import { BATCH_MAX_BYTES, BATCH_MAX_ROWS, rowsOf } from './batch-columns';
import { BatchFileError, readTable } from './batch-file';
import { resultsCsv, templateCsv } from './batch-results';
import { runBatch, type RowResult } from './batch-run';
import { downloadFile } from './browser-files';
import { holderLabels } from './catalogue';
import { useCatalogue } from './use-catalogue';
import { requiredMark } from './required-mark';
import { DeskTitle } from '../layout/desk-title';

type Stage =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly file: string; readonly done: number }
  | { readonly kind: 'done'; readonly file: string; readonly results: RowResult[] };

/** 批量签发: a CSV or .xlsx file, one license per row, checked row by row, issued in chunks, one result per row. */
export default function BatchDesk() {
  const { entries, error: catalogueError } = useCatalogue();
  const [typeCode, setTypeCode] = useState<string | undefined>(undefined);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [fileError, setFileError] = useState<string | null>(null);
  const entry = useMemo(() => entries?.find((e) => e.code === typeCode), [entries, typeCode]);

  async function start(file: File) {
    if (!entry) return;
    setFileError(null);
    try {
      const read = rowsOf(entry, await readTable(file));
      if ('problem' in read) return setFileError(read.problem);
      setStage({ kind: 'running', file: file.name, done: 0 });
      const results = await runBatch(entry, read.rows, (done) => setStage({ kind: 'running', file: file.name, done }));
      setStage({ kind: 'done', file: file.name, results });
    } catch (error) {
      setStage({ kind: 'idle' });
      setFileError(error instanceof BatchFileError ? error.message : '文件读取失败，请确认文件未损坏后重试。');
    }
  }

  const results = stage.kind === 'done' ? stage.results : [];
  const issued = results.filter((r) => r.ok).length;
  const percent = stage.kind === 'running' ? Math.floor(stage.done * 100) : stage.kind === 'done' ? 100 : 0;
  return (
    <>
      <Card title={<DeskTitle>批量签发</DeskTitle>}>
        {catalogueError && <Alert type="error" showIcon title={catalogueError} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" requiredMark={requiredMark}>
          <Form.Item label="证照类型" htmlFor="batch-license-type" required>
            <Select
              id="batch-license-type"
              placeholder="请选择要批量签发的证照类型"
              value={typeCode}
              onChange={(code: string) => {
                setTypeCode(code);
                setStage({ kind: 'idle' });
                setFileError(null);
              }}
              loading={entries === undefined && !catalogueError}
              options={(entries ?? []).map((e) => ({ value: e.code, label: e.name }))}
              disabled={stage.kind === 'running'}
            />
          </Form.Item>
        </Form>
        {entry && (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Typography.Paragraph style={{ margin: 0 }}>
              第 1 行为列名（中文名称或字段代码均可），第 2 行起每行一张证照；{holderLabels(entry.holderType).number}和{holderLabels(entry.holderType).name}必填。每个文件最多{' '}
              {BATCH_MAX_ROWS} 行、
              {BATCH_MAX_BYTES / 1024 / 1024} MB，支持 CSV（UTF-8）和 Excel（.xlsx）。每行先按签发规则检查，有误的行不会提交。
            </Typography.Paragraph>
            <div>
              <Button onClick={() => downloadFile(`${entry.name}-批量签发模板.csv`, templateCsv(entry), 'text/csv;charset=utf-8')}>下载模板</Button>
            </div>
            <Upload.Dragger
              accept=".csv,.xlsx"
              multiple={false}
              showUploadList={false}
              disabled={stage.kind === 'running'}
              beforeUpload={(file) => {
                void start(file);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击选择或拖入填好的文件（.csv 或 .xlsx）</p>
            </Upload.Dragger>
            {fileError && <Alert type="error" showIcon title={fileError} />}
            {stage.kind !== 'idle' && (
              <div>
                <Typography.Text>
                  {stage.file}：{stage.kind === 'running' ? '正在签发…' : `共 ${results.length} 行，成功 ${issued} 行，失败 ${results.length - issued} 行`}
                </Typography.Text>
                <Progress percent={percent} status={stage.kind === 'running' ? 'active' : issued === results.length ? 'success' : 'normal'} aria-label="签发进度" />
              </div>
            )}
            {stage.kind === 'done' && (
              <>
                <div>
                  <Button
                    type="primary"
                    onClick={() => downloadFile(`批量签发结果-${stage.file.replace(/\.[^.]+$/, '')}.csv`, resultsCsv(entry, results), 'text/csv;charset=utf-8')}
                  >
                    下载结果
                  </Button>
                </div>
                <Table<RowResult>
                  size="small"
                  rowKey="line"
                  dataSource={results}
                  pagination={results.length > 50 ? { pageSize: 50 } : false}
                  scroll={{ x: 'max-content' }}
                  columns={[
                    { title: '行号', dataIndex: 'line', width: 64 },
                    { title: holderLabels(entry.holderType).name, dataIndex: 'holderName' },
                    { title: '结果', key: 'ok', render: (_, r) => (r.ok ? <Tag color="green">成功</Tag> : <Tag color="red">失败</Tag>) },
                    {
                      title: '电子证照标识 / 失败原因',
                      key: 'detail',
                      render: (_, r) =>
                        r.ok ? <Typography.Text style={{ wordBreak: 'break-all' }}>{r.identifier}</Typography.Text> : <Typography.Text type="danger">{r.error}</Typography.Text>,
                    },
                  ]}
                />
              </>
            )}
          </Space>
        )}
      </Card>
    </>
  );
}
