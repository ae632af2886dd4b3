const app = express();
const port = 3022;
        const nextUrl = `${req.protocol}://${req.get('host')}/redirect?redirects=${redirects}&current=${current + 1}&status=${finalStatusCode}&delay=${delay}`;
      const nextUrl = `${req.protocol}://${req.get('host')}/infinite-redirect?current=${current + 1}&status=${finalStatusCode}&delay=${delay}`;
        const nextUrl = `${req.protocol}://${req.get('host')}/circular-redirect-b?status=${finalStatusCode}&delay=${delay}`;
        const nextUrl = `${req.protocol}://${req.get('host')}/circular-redirect-a?status=${finalStatusCode}&delay=${delay}`;
app.listen(port, () => {
  console.log(`Fake server listening on port ${port}`);
  console.log(`Visit http://localhost:${port}/help for redirect testing endpoints`);
