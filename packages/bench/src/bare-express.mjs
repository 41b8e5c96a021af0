// The framework ceiling: Express 5 answering a constant JSON body, nothing else. Started by the bench on an
// ephemeral port; prints the port on stdout.
import express from "express";

const app = express();
app.get("/health", (_req, res) => {
  res.json({ status: "ok", service: "bare" });
});
const server = app.listen(0, "127.0.0.1", () => console.log(server.address().port));
