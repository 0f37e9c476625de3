// Validates JSON documents with Ajv (draft 2020-12, strict mode, ajv-formats),
// for tests/test_io_schema.py. Reads from stdin:
//   {"schema": {...}, "documents": [{"ref": "" | "#/$defs/Pledges", "value": ...}, ...],
//    "patterns": [...], "texts": [...]}
// and writes to stdout, for each document, whether it is valid and its errors
// (Ajv stops at the first; allErrors would find more), and for each pattern the
// longest time in milliseconds it took on any of the texts.
"use strict";

const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

function main(input) {
  const request = JSON.parse(input);
  // strict: true refuses unknown keywords, types a keyword does not apply to,
  // required properties that are not defined, and ignored keywords.
  const ajv = new Ajv2020({ strict: true, allErrors: false });
  addFormats(ajv);
  ajv.addSchema(request.schema);
  const id = request.schema.$id;
  const validators = new Map();
  const documents = request.documents.map(({ ref, value }) => {
    if (!validators.has(ref)) {
      validators.set(ref, ajv.getSchema(id + ref));
    }
    const validate = validators.get(ref);
    const valid = validate(value);
    const errors = (validate.errors || []).map((error) => ({
      pointer: error.instancePath,
      keyword: error.keyword,
      message: error.message,
    }));
    return { valid, errors };
  });
  const patterns = (request.patterns || []).map((pattern) => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile({
      type: "string",
      pattern,
    });
    let slowest = 0;
    for (const text of request.texts) {
      const start = process.hrtime.bigint();
      validate(text);
      const took = Number(process.hrtime.bigint() - start) / 1e6;
      slowest = Math.max(slowest, took);
    }
    return slowest;
  });
  process.stdout.write(JSON.stringify({ documents, patterns }));
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  input += chunk;
});
process.stdin.on("end", () => main(input));
