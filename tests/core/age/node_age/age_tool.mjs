// A tiny command-line face on typage (npm age-encryption) for Panel Desk's interop tests.
//   node age_tool.mjs keygen                      -> identity line, then recipient line
//   node age_tool.mjs encrypt IN OUT armor|binary RECIPIENT...
//   node age_tool.mjs decrypt IN OUT IDENTITY     (IN binary or armored)
import { readFileSync, writeFileSync } from "node:fs";
import { Decrypter, Encrypter, armor, generateHybridIdentity, identityToRecipient } from "age-encryption";

const [command, ...args] = process.argv.slice(2);
if (command === "keygen") {
  const identity = await generateHybridIdentity();
  console.log(identity);
  console.log(await identityToRecipient(identity));
} else if (command === "encrypt") {
  const [input, output, form, ...recipients] = args;
  const e = new Encrypter();
  for (const r of recipients) e.addRecipient(r);
  const sealed = await e.encrypt(new Uint8Array(readFileSync(input)));
  writeFileSync(output, form === "armor" ? armor.encode(sealed) : sealed);
} else if (command === "decrypt") {
  const [input, output, identity] = args;
  const d = new Decrypter();
  d.addIdentity(identity);
  let data = new Uint8Array(readFileSync(input));
  const text = Buffer.from(data.subarray(0, 64)).toString("latin1");
  if (text.trimStart().startsWith("-----BEGIN")) data = armor.decode(Buffer.from(data).toString("latin1"));
  writeFileSync(output, await d.decrypt(data));
} else {
  console.error("usage: keygen | encrypt IN OUT armor|binary RECIPIENT... | decrypt IN OUT IDENTITY");
  process.exit(2);
}
