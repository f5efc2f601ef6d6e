// Reads [{ name, url, sdl }] on stdin and prints Apollo's composition result as
// JSON: { supergraph } or { errors: [{ code, message }] }.
import { composeServices } from "@apollo/composition";
import { parse } from "graphql";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const services = JSON.parse(input).map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) }));
const result = composeServices(services);
if (result.errors) {
  console.log(JSON.stringify({
    errors: result.errors.map((e) => ({ code: e.extensions?.code ?? null, message: e.message })),
  }));
} else {
  console.log(JSON.stringify({ supergraph: result.supergraphSdl }));
}
