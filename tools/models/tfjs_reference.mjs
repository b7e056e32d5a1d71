// face-api's own TensorFlow.js forward pass of the face recognition net (CPU backend),
// the reference that verify_conversion.py compares the converted ONNX model against.
//
// Usage: node tfjs_reference.mjs FACE_API_PACKAGE_DIR INPUT.f32 OUTPUT.f32 [WEIGHTS.f32]
//   INPUT.f32: raw little-endian float32, N x 150 x 150 x 3 (NHWC, RGB, 0-255).
//   OUTPUT.f32: raw little-endian float32, N x 128: FaceRecognitionNet.forwardInput,
//   which normalises the input itself ((rgb - mean) / 255) before the network.
//   WEIGHTS.f32: every weight as tfjs decoded (dequantised) it, float32, in the order of
//   the weights manifest, to compare with the converter's own decoding bit for bit.
//
// The package's self-contained ES module bundle (dist/face-api.esm.js, tfjs 4.22 with the
// cpu backend inside) runs offline without native modules. Its Node platform stub needs
// Node's `util` module, which the browser bundle leaves out; declaring a worker global
// makes tfjs pick its browser platform (fetch, TextEncoder, performance.now: all in
// Node 20) instead. That only affects I/O helpers, not the kernels.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const [packageDir, inputPath, outputPath, weightsPath] = process.argv.slice(2);
if (!outputPath) {
  console.error('usage: node tfjs_reference.mjs FACE_API_PACKAGE_DIR INPUT.f32 OUTPUT.f32');
  process.exit(2);
}

// The bundle is ES module code in a package without "type": "module": load a copy as .mjs.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'haul-tfjs-'));
const bundle = path.join(scratch, 'face-api.mjs');
fs.copyFileSync(path.join(packageDir, 'dist/face-api.esm.js'), bundle);
globalThis.WorkerGlobalScope ??= class {};
const faceapi = await import(pathToFileURL(bundle).href);
fs.rmSync(scratch, { recursive: true });

const { tf } = faceapi;
tf.enableProdMode(); // no "install tfjs-node" banner; kernels unchanged
await tf.setBackend('cpu');
await tf.ready();

const modelDir = path.join(packageDir, 'model');
const manifest = JSON.parse(
  fs.readFileSync(path.join(modelDir, 'face_recognition_model-weights_manifest.json'), 'utf8'),
);
const weightMap = {};
for (const group of manifest) {
  const data = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(modelDir, p))));
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  Object.assign(weightMap, tf.io.decodeWeights(buffer, group.weights));
}
if (weightsPath) {
  const specs = manifest.flatMap((group) => group.weights);
  const decoded = specs.map((spec) => Buffer.from(weightMap[spec.name].dataSync().buffer.slice(0)));
  fs.writeFileSync(weightsPath, Buffer.concat(decoded));
}
const net = faceapi.nets.faceRecognitionNet;
net.loadFromWeightMap(weightMap);

const raw = fs.readFileSync(inputPath);
const pixels = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const chip = 150 * 150 * 3;
if (pixels.length % chip !== 0) throw new Error(`${inputPath}: not N x 150 x 150 x 3 floats`);
const out = new Float32Array((pixels.length / chip) * 128);
for (let i = 0; i < pixels.length / chip; i += 1) {
  const input = tf.tensor4d(pixels.subarray(i * chip, (i + 1) * chip), [1, 150, 150, 3]);
  const embedding = net.forwardInput(await faceapi.toNetInput(input));
  out.set(await embedding.data(), i * 128);
  tf.dispose([input, embedding]);
}
fs.writeFileSync(outputPath, Buffer.from(out.buffer));
console.error(`tfjs ${tf.version_core} (${tf.getBackend()}): ${out.length / 128} embeddings`);
