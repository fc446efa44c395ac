// MNIST from the command line with a small model: Ctrl-C mid-epoch saves a checkpoint, --resume
// finishes bit-identical to an uninterrupted run; predict reads a PNG digit.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { finished, lines, nabla, startCli, tmp, writePng } from './helpers.js';

describe('nabla train on MNIST: interrupt, resume, predict', () => {
  const dir = tmp();
  // A model file with Dropout, so the resumed run must also restore the dropout random stream.
  const modelJson = join(dir, 'small.json');
  writeFileSync(modelJson, JSON.stringify([
    { className: 'Flatten' },
    { className: 'Dense', units: 32, activation: 'relu' },
    { className: 'Dropout', rate: 0.1 },
    { className: 'Dense', units: 10, activation: 'softmax' },
  ]));
  const args = (out: string) => ['train', '--limit', '2400', '--model', modelJson, '--epochs', '2', '--batch-size', '16',
    '--learning-rate', '0.002', '--lr-schedule', 'cosine', '--validation-split', '0.1', '--seed', '7', '--out', out];
  const whole = join(dir, 'whole'), cut = join(dir, 'cut');

  it('Ctrl-C mid-epoch saves a checkpoint and exits 130; --resume ends bit-identical to an uninterrupted run', async () => {
    const uninterrupted = nabla(args(whole));

    const child = startCli(args(cut));
    const done = finished(child);
    let seen = '', sent = false;
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer | string) => {
        seen += d.toString();
        if (!sent && /^Epoch 1\/2 - /m.test(seen)) { sent = true; child.kill('SIGINT'); resolve(); } // one Ctrl-C
      });
      child.on('close', () => { if (!sent) reject(new Error(`exited before the first epoch line:\n${seen}`)); });
    });
    const r = await done;
    assert.equal(r.code, 130, `exit code 130 after Ctrl-C; stderr: ${r.stderr}`);
    assert.match(r.stderr, /Stopping after this batch/);
    const ck = join(cut, 'checkpoint');
    assert.deepEqual(readdirSync(ck).sort(), ['model.json', 'optimizer.safetensors', 'training.json', 'weights.safetensors']);
    const progress = JSON.parse(readFileSync(join(ck, 'training.json'), 'utf8')).progress;
    assert.equal(progress.epoch, 1, 'stopped in the second epoch');
    assert.ok(progress.batch > 0 && progress.batch < 135, `stopped mid-epoch (batch ${progress.batch} of 135)`);
    const resumeLine = lines(r.stdout).find((l) => l.startsWith('Resume with: '));
    assert.ok(resumeLine?.endsWith(`train --resume ${cut}`), `prints the command that resumes: ${resumeLine}`);
    assert.ok(!existsSync(join(cut, 'model')), 'no model saved yet');

    const refused = await nabla(['evaluate', cut]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /interrupted run.*--resume/);

    const resumed = await nabla(['train', '--resume', cut]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /Resuming .* at epoch 2\/2, batch \d+\/135/);
    assert.equal(lines(resumed.stdout).filter((l) => /^Epoch \d\/2 - /.test(l)).length, 1, 'epoch 2');
    assert.ok(!existsSync(join(cut, 'checkpoint')), 'the checkpoint is removed once the run completes');

    const u = await uninterrupted;
    assert.equal(u.code, 0, u.stderr);
    const a = readFileSync(join(whole, 'model', 'weights.safetensors')), b = readFileSync(join(cut, 'model', 'weights.safetensors'));
    assert.ok(a.equals(b), 'weights.safetensors are byte-identical');
    const epochLine = (s: string) => lines(s).filter((l) => /^Epoch 2\/2 - /.test(l)).map((l) => l.replace(/ - [\d.]+s - \d+ samples\/s/, ''));
    assert.deepEqual(epochLine(resumed.stdout), epochLine(u.stdout), 'the last epoch reports the same loss and val_loss');
    const acc = (s: string) => /accuracy: ([\d.]+) \(\d+ of \d+ correct\)/.exec(s)?.[1];
    assert.equal(acc(resumed.stdout), acc(u.stdout));
  });

  it('predict reads a PNG digit (dark on light) and names a class; a blank image is refused', async () => {
    const png = join(dir, 'one.png');
    // A slightly slanted vertical stroke in a 60x80 picture, like a handwritten 1.
    writePng(png, 60, 80, (x, y) => y >= 10 && y < 70 && Math.abs(x - (34 - (y - 10) / 10)) < 3);
    const r = await nabla(['predict', whole, png, '--show']);
    assert.equal(r.code, 0, r.stderr);
    const m = /^Predicted: (\d) \(probability ([\d.]+)\)$/m.exec(r.stdout);
    assert.ok(m, r.stdout);
    assert.equal(m[1], '1', `a vertical stroke reads as 1:\n${r.stdout}`);
    assert.match(r.stdout, /^Top 3: \d [\d.]+, \d [\d.]+, \d [\d.]+$/m);
    assert.match(r.stdout, /[#@%]/, '--show draws the 28x28 input');

    const blank = join(dir, 'blank.png');
    writePng(blank, 40, 40, () => false);
    const e = await nabla(['predict', whole, blank]);
    assert.equal(e.code, 1);
    assert.equal(lines(e.stderr).length, 1);
    assert.match(e.stderr, /blank\.png: the image is empty/);

    const notPng = join(dir, 'fake.png');
    writeFileSync(notPng, 'not a png');
    const f = await nabla(['predict', whole, notPng]);
    assert.equal(f.code, 1);
    assert.match(f.stderr, /fake\.png: is not a PNG image/);
  });
});
