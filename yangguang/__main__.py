from yangguang.cli import main

main()
