import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadIris, loadWine, loadBreastCancer, loadDiabetes, loadPokemonCp, loadHigham, loadDigits, loadLinnerud,
  embeddedPath, oneHot,
} from '../../src/data/index.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { SHARED, needsShared, re, tempDir } from './helpers.js';

function classCounts(y: Tensor): number[] {
  const c: number[] = [];
  for (const v of y.data) c[v] = (c[v] ?? 0) + 1;
  return c;
}
const row = (x: Tensor, r: number) => Array.from(x.data.subarray(r * x.shape[1]!, (r + 1) * x.shape[1]!));

test('Iris: 150 x 4, three classes of 50, Fisher\'s rows 35 and 38', () => {
  const d = loadIris();
  assert.deepEqual(d.x.shape, [150, 4]);
  assert.equal(d.x.dtype, 'float64');
  assert.deepEqual(d.y.shape, [150]);
  assert.deepEqual(classCounts(d.y), [50, 50, 50]);
  assert.deepEqual(d.targetNames, ['setosa', 'versicolor', 'virginica']);
  assert.equal(d.featureNames[2], 'petal length (cm)');
  assert.deepEqual(row(d.x, 0), [5.1, 3.5, 1.4, 0.2]);
  assert.deepEqual(row(d.x, 34), [4.9, 3.1, 1.5, 0.2]);
  assert.deepEqual(row(d.x, 37), [4.9, 3.6, 1.4, 0.1]);
  // A path to the file or to its folder reads the same data.
  assert.deepEqual(loadIris(embeddedPath('iris')).x.data, d.x.data);
  assert.deepEqual(loadIris(embeddedPath('iris', 'iris.csv')).y.data, d.y.data);
});

test('Wine 178 x 13 (59/71/48) and breast cancer 569 x 30 (212 malignant = 0, 357 benign = 1)', () => {
  const w = loadWine();
  assert.deepEqual(w.x.shape, [178, 13]);
  assert.deepEqual(classCounts(w.y), [59, 71, 48]);
  assert.equal(w.featureNames[12], 'proline');
  assert.equal(w.x.data[12], 1065);
  const b = loadBreastCancer();
  assert.deepEqual(b.x.shape, [569, 30]);
  assert.deepEqual(classCounts(b.y), [212, 357]);
  assert.deepEqual(b.targetNames, ['malignant', 'benign']);
  assert.equal(b.featureNames.length, 30);
  assert.deepEqual([b.featureNames[0], b.featureNames[10], b.featureNames[29]], ['mean radius', 'radius error', 'worst fractal dimension']);
  assert.equal(b.x.data[3], 1001); // mean area of the first mass
});

test('Diabetes: raw 442 x 10 and scikit-learn\'s scaling (unit sum of squares)', () => {
  const d = loadDiabetes();
  assert.deepEqual(d.x.shape, [442, 10]);
  assert.deepEqual(row(d.x, 0), [59, 2, 32.1, 101, 157, 93.2, 38, 4, 4.8598, 87]);
  assert.equal(Math.min(...d.y.data), 25);
  assert.equal(Math.max(...d.y.data), 346);
  assert.equal(d.y.data[0], 151);
  const s = loadDiabetes(undefined, { scaled: true });
  for (let c = 0; c < 10; c++) {
    let sum = 0, ss = 0;
    for (let r = 0; r < 442; r++) { const v = s.x.data[r * 10 + c]!; sum += v; ss += v * v; }
    assert.ok(Math.abs(sum) < 1e-12 && Math.abs(ss - 1) < 1e-12, `column ${c}: sum ${sum}, sum of squares ${ss}`);
  }
  // scikit-learn's load_diabetes().data[0, 0] (age of the first patient, scaled).
  assert.ok(Math.abs(s.x.data[0]! - 0.0380759064334241) < 1e-12);
});

test('Pokémon CP: 75 evolutions by species; the 10-point demo fits b = -188.433, w = 2.669455', () => {
  const all = loadPokemonCp();
  assert.deepEqual(all.x.shape, [75, 1]);
  const bySpecies: Record<string, number> = {};
  for (const s of all.species) bySpecies[s] = (bySpecies[s] ?? 0) + 1;
  assert.deepEqual(bySpecies, { Pidgey: 39, Weedle: 20, Caterpie: 10, Eevee: 6 });
  const four = loadPokemonCp(undefined, { features: ['cp', 'hp', 'weight', 'height'] });
  assert.deepEqual(four.featureNames, ['cp', 'hp', 'weight', 'height']);
  assert.deepEqual(row(four.x, 0), [384, 56, 2.31, 0.34]);
  assert.throws(() => loadPokemonCp(undefined, { features: ['attack_weak'] }), /pokemon\.csv: column 'attack_weak' is text/);
  assert.throws(() => loadPokemonCp(undefined, { features: ['speed'] }), /pokemon\.csv: missing column 'speed'/);

  const demo = loadPokemonCp(undefined, { subset: 'demo10' });
  assert.deepEqual(Array.from(demo.x.data), [338, 333, 328, 207, 226, 25, 179, 60, 208, 606]);
  assert.deepEqual(Array.from(demo.y.data), [640, 633, 619, 393, 428, 27, 193, 66, 226, 1591]);
  assert.equal(demo.names[9], 'Eevee7');
  // Every demo pair occurs in the full table.
  for (let i = 0; i < 10; i++) {
    const j = all.names.indexOf(demo.names[i]!);
    assert.ok(j >= 0 && all.x.data[j] === demo.x.data[i] && all.y.data[j] === demo.y.data[i], demo.names[i]);
  }
  // Closed-form least squares y = b + w x.
  const n = 10, xs = demo.x.data, ys = demo.y.data;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sx += xs[i]!; sy += ys[i]!; sxx += xs[i]! ** 2; sxy += xs[i]! * ys[i]!; }
  const w = (n * sxy - sx * sy) / (n * sxx - sx * sx), b = (sy - w * sx) / n;
  assert.ok(Math.abs(w - 2.669455) < 5e-6 && Math.abs(b - -188.433) < 5e-4, `b = ${b}, w = ${w}`);
});

test('Higham & Higham: the 10 points of netbp.m, and the 11th point (0.3, 0.7) in B', () => {
  const d = loadHigham();
  assert.deepEqual(d.x.shape, [10, 2]);
  const x1 = [0.1, 0.3, 0.1, 0.6, 0.4, 0.6, 0.5, 0.9, 0.4, 0.7], x2 = [0.1, 0.4, 0.5, 0.9, 0.2, 0.3, 0.6, 0.2, 0.4, 0.6];
  assert.deepEqual(Array.from(d.x.data), x1.flatMap((v, i) => [v, x2[i]!]));
  assert.deepEqual(Array.from(d.y.data), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  assert.deepEqual((oneHot(d.y, 2).toArray() as number[][]).slice(4, 6), [[1, 0], [0, 1]]);
  const e = loadHigham(undefined, { points: 11 });
  assert.deepEqual(e.x.shape, [11, 2]);
  assert.deepEqual(row(e.x, 10), [0.3, 0.7]);
  assert.equal(e.y.data[10], 1);
  assert.throws(() => loadHigham(undefined, { points: 12 as 10 }), /points must be 10 or 11/);
  const dir = tempDir(), p = join(dir, 'points10.csv');
  writeFileSync(p, readFileSync(embeddedPath('higham2019-toy', 'points10.csv'), 'utf8').replace('0.4,0.2,A,1,0', '0.4,0.2,A,0,1'));
  assert.throws(() => loadHigham(p), new RegExp(`${re(p)}: y1,y2 at data row 5 disagree with its label 'A'`));
});

test('digits (8x8, 1797) and Linnerud (20 x 3 -> 3) from ../shared/data', { skip: needsShared('digits-8x8') || needsShared('linnerud') }, () => {
  const d = loadDigits(join(SHARED, 'digits-8x8'));
  assert.deepEqual(d.x.shape, [1797, 64]);
  assert.deepEqual(classCounts(d.y), [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  assert.equal(Math.max(...d.x.data), 16);
  assert.equal(d.featureNames[63], 'pixel_7_7');
  const l = loadLinnerud(join(SHARED, 'linnerud'));
  assert.deepEqual(l.x.shape, [20, 3]);
  assert.deepEqual(l.y.shape, [20, 3]);
  assert.deepEqual(l.featureNames, ['Chins', 'Situps', 'Jumps']);
  assert.deepEqual(l.targetNames, ['Weight', 'Waist', 'Pulse']);
  assert.deepEqual(row(l.x, 0), [5, 162, 60]);
  assert.throws(() => loadLinnerud(join(SHARED, 'linnerud', 'linnerud_exercise.csv')), /expected the linnerud folder/);
});

test('the embedded tables equal ../shared/data byte for byte', { skip: needsShared('iris') }, () => {
  const files: [string, string][] = [
    ['iris', 'iris.csv'], ['wine', 'wine_data.csv'], ['breast-cancer-wisconsin', 'breast_cancer.csv'],
    ['diabetes', 'diabetes_data_raw.csv.gz'], ['diabetes', 'diabetes_target.csv.gz'],
    ['higham2019-toy', 'points10.csv'], ['higham2019-toy', 'points11.csv'],
    ['pokemon-cp', 'pokemon.csv'], ['pokemon-cp', 'hylee-demo10.csv'],
  ];
  for (const [folder, file] of files) {
    assert.ok(readFileSync(embeddedPath(folder, file)).equals(readFileSync(join(SHARED, folder, file))), `${folder}/${file}`);
    assert.ok(readFileSync(embeddedPath(folder, 'SHA256SUMS')).equals(readFileSync(join(SHARED, folder, 'SHA256SUMS'))), `${folder}/SHA256SUMS`);
  }
});

test('a changed copy of a table fails its checksum; a malformed one names what is wrong', () => {
  const dir = tempDir(), csv = join(dir, 'iris.csv');
  copyFileSync(embeddedPath('iris', 'SHA256SUMS'), join(dir, 'SHA256SUMS'));
  const text = readFileSync(embeddedPath('iris', 'iris.csv'), 'utf8');
  writeFileSync(csv, text.replace('5.1,3.5,1.4,0.2,0', '5.1,3.5,1.4,0.3,0'));
  assert.throws(() => loadIris(dir), new RegExp(`^DataFileError: ${re(csv)}: checksum mismatch`));
  // Without a SHA256SUMS the layout itself is checked.
  const bare = tempDir(), b = join(bare, 'iris.csv');
  writeFileSync(b, text.replace(/\n[^\n]*\n$/, '\n'));
  assert.throws(() => loadIris(b), new RegExp(`${re(b)}: first line says 150 rows, file has 149`));
  writeFileSync(b, text.replace('5.1,3.5,1.4,0.2,0', '5.1,3.5,1.4,0.2,3'));
  assert.throws(() => loadIris(b), new RegExp(`${re(b)}: target 3 at data row 1 is not a class index in \\[0, 3\\)`));
  writeFileSync(b, text.replace('150,4,', '150,5,'));
  assert.throws(() => loadIris(b), /first line says 5 features, expected 4/);
  assert.throws(() => loadWine(join(bare, 'none.csv')), /none\.csv: file not found/);
});
