import { Button, Group, Stack, Stepper } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportUpload } from '../../../shared/imports.ts';
import { FileStep } from './file-step.tsx';
import { initialWizardSettings, mappingProblems, type WizardSettings } from './import-settings.ts';
import { MappingStep } from './mapping-step.tsx';
import { ModeStep } from './mode-step.tsx';
import { PreviewStep } from './preview-step.tsx';
import { RunStep } from './run-step.tsx';

const STEPS = ['file', 'preview', 'mapping', 'mode', 'dryRun', 'start'] as const;

/**
 * The upload wizard: file → detected settings and preview → mapping → mode → dry run → start.
 * Holds the upload and the settings; each step edits its part. A new file starts over.
 */
export function UploadWizard({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const [active, setActive] = useState(0);
  const [upload, setUpload] = useState<ImportUpload | null>(null);
  const [settings, setSettings] = useState<WizardSettings | null>(null);
  // Each run belongs to the settings it was started with: a change of settings forgets it.
  const [dryRunId, setDryRunId] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);

  const restart = () => {
    setUpload(null);
    setSettings(null);
    setDryRunId(null);
    setImportId(null);
    setActive(0);
  };

  const changeSettings = (next: WizardSettings) => {
    setSettings(next);
    setDryRunId(null);
  };

  /** A re-read with other settings may change the header: then the mapping starts from the new suggestions. */
  const changeUpload = (next: ImportUpload) => {
    const sameHeader = upload !== null && upload.header.join('\u0000') === next.header.join('\u0000');
    setUpload(next);
    if (!sameHeader || settings === null)
      changeSettings(initialWizardSettings(next.header, next.suggestions));
    else setDryRunId(null);
  };

  const problems = settings ? mappingProblems(settings.columns, settings.matchBy) : [];
  const started = importId !== null;
  const canEnter = (step: number) =>
    !started && (step === 0 || upload !== null) && (step < 3 || problems.length === 0);

  return (
    <Stack data-testid="import-wizard">
      <Stepper
        active={active}
        onStepClick={(step) => canEnter(step) && setActive(step)}
        allowNextStepsSelect={false}
        size="sm"
      >
        {STEPS.map((step, index) => (
          <Stepper.Step
            key={step}
            label={t(`imports.wizard.steps.${step}`)}
            allowStepSelect={canEnter(index)}
            data-testid={`import-step-${step}`}
          />
        ))}
      </Stepper>

      {active === 0 && (
        <FileStep
          accountId={accountId}
          onUploaded={(answer) => {
            setUpload(answer);
            setSettings(initialWizardSettings(answer.header, answer.suggestions));
            setDryRunId(null);
            setImportId(null);
            setActive(1);
          }}
        />
      )}
      {active === 1 && upload && settings && (
        <PreviewStep
          accountId={accountId}
          upload={upload}
          columns={settings.columns}
          onChange={changeUpload}
        />
      )}
      {active === 2 && upload && settings && (
        <MappingStep
          accountId={accountId}
          upload={upload}
          settings={settings}
          problems={problems}
          onChange={changeSettings}
          onPreview={setUpload}
        />
      )}
      {active === 3 && settings && (
        <ModeStep accountId={accountId} settings={settings} onChange={changeSettings} />
      )}
      {active >= 4 && upload && settings && (
        <RunStep
          key={active}
          accountId={accountId}
          upload={upload}
          settings={settings}
          dryRun={active === 4}
          actionId={active === 4 ? dryRunId : importId}
          onStarted={active === 4 ? setDryRunId : setImportId}
        />
      )}

      <Group justify="space-between">
        <Group>
          {active > 0 && !started && (
            <Button variant="default" onClick={() => setActive(active - 1)} data-testid="import-back">
              {t('imports.wizard.back')}
            </Button>
          )}
          {upload && (
            <Button variant="subtle" onClick={restart} data-testid="import-restart">
              {t('imports.wizard.restart')}
            </Button>
          )}
        </Group>
        {active > 0 && active < STEPS.length - 1 && (
          <Button
            onClick={() => setActive(active + 1)}
            disabled={!canEnter(active + 1)}
            data-testid="import-next"
          >
            {active === 4 && dryRunId === null ? t('imports.wizard.skipDryRun') : t('imports.wizard.next')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
