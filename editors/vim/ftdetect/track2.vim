" Vim and Neovim: `.track2` files are track2 ledgers.
autocmd BufRead,BufNewFile *.track2 setfiletype track2
