console.log("grizz web ui test asset");
