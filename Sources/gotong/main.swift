import Gotong

await GotongServer.main()
